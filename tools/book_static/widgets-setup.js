// Loaded just before require.js and the widget HTML manager, on pages that have widgets.
(function () {
  // 1. The widget bundles find their icon fonts next to the URL requirejs gives each of their
  //    modules, by default a path relative to the page (where there are none). Map every module
  //    in embed-amd.js into the folder the manager really sits in: data-manager-dist, relative
  //    to this script.
  var me = document.currentScript;
  var dist = new URL(me.getAttribute("data-manager-dist"), me.src).href.replace(/\/$/, "");
  var paths = { "@jupyter-widgets/html-manager/dist": dist };
  ["base", "controls", "base7", "controls7", "html-manager"].forEach(function (name) {
    paths["@jupyter-widgets/" + name] = dist + "/" + name;
  });
  if (typeof window.require === "function" && window.require.config) {
    window.require.config({ paths: paths });
  } else {
    window.require = { paths: paths }; // require.js reads this object as its configuration
  }

  // 2. The manager typesets widget labels with the MathJax 2 API (MathJax.Hub.Queue), which
  //    would throw: the book typesets with KaTeX (math.js) and has at most MathJax 3's config
  //    object. Bridge that one call (a no-op without MathJax 3).
  function bridge() {
    var mj = window.MathJax;
    if (!mj || mj.Hub) return;
    mj.Hub = {
      Queue: function (command) {
        var element = command[2];
        var ready = mj.startup && mj.startup.promise ? mj.startup.promise : Promise.resolve();
        ready.then(function () {
          if (mj.typesetPromise) return mj.typesetPromise([element]);
        });
      },
    };
  }
  bridge();
  // MathJax is a deferred script: it exists by DOMContentLoaded, and widgets render after that.
  document.addEventListener("DOMContentLoaded", bridge);
})();
