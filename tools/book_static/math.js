// Typesets the page's formulas with KaTeX (about 0.3 MB with its CSS and the fonts a page uses)
// instead of MathJax (1.2 MB of script alone): a chapter page stays under 2 MB.
// Sphinx loads this file as its math script, on pages with formulas only (_config.yml:
// mathjax_path); data-katex on the tag says where KaTeX sits, relative to this file.
// Sphinx writes each formula as \(...\) in a span.math (inline) or \[...\] / an amsmath
// environment in a div.math (display); every formula of the book is checked by tests/test_book.py.
(function () {
  var me = document.currentScript;
  var base = new URL(me.getAttribute("data-katex"), me.src).href.replace(/\/$/, "");

  function tex(el) {
    var s = el.textContent.trim();
    var m = s.match(/^\\\(([\s\S]*)\\\)$/) || s.match(/^\\\[([\s\S]*)\\\]$/);
    return m ? m[1] : s;
  }

  function typeset() {
    document.querySelectorAll("span.math, div.math").forEach(function (el) {
      if (el.querySelector(".katex")) return;
      var eqno = el.querySelector(".eqno");  // a numbered equation keeps its number
      if (eqno) eqno.remove();
      window.katex.render(tex(el), el, { displayMode: el.tagName === "DIV", throwOnError: false });
      if (eqno) el.prepend(eqno);
    });
  }

  var css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = base + "/katex.min.css";
  document.head.appendChild(css);
  var js = document.createElement("script");
  js.src = base + "/katex.min.js";
  js.onload = function () {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", typeset);
    else typeset();
  };
  document.head.appendChild(js);
})();
