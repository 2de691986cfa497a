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

  function render(el) {
    if (el.querySelector(".katex")) return;
    var eqno = el.querySelector(".eqno");  // a numbered equation keeps its number
    if (eqno) eqno.remove();
    window.katex.render(tex(el), el, { displayMode: el.tagName === "DIV", throwOnError: false });
    if (eqno) el.prepend(eqno);
  }

  // KaTeX (76 KB of script, then a long task per page of formulas) is fetched when the first
  // formula comes within a screen of the viewport, and each formula is typeset as it nears it:
  // a phone paints the page first. window.rnnkitTypesetAll() typesets every one (a promise):
  // printing and the tests use it.
  var loading = null;
  function katex() {
    if (!loading) loading = new Promise(function (ok, fail) {
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = base + "/katex.min.css";
      document.head.appendChild(css);
      var js = document.createElement("script");
      js.src = base + "/katex.min.js";
      js.onload = ok;
      js.onerror = fail;
      document.head.appendChild(js);
    });
    return loading;
  }
  function formulas() { return [].slice.call(document.querySelectorAll("span.math, div.math")); }
  window.rnnkitTypesetAll = function () { return katex().then(function () { formulas().forEach(render); }); };
  window.addEventListener("beforeprint", function () { if (window.katex) formulas().forEach(render); });

  function start() {
    var all = formulas();
    if (!all.length) return;
    if (!("IntersectionObserver" in window)) return window.rnnkitTypesetAll();
    var near = new IntersectionObserver(function (seen) {
      seen.forEach(function (e) {
        if (!e.isIntersecting) return;
        near.unobserve(e.target);
        katex().then(function () { render(e.target); });
      });
    }, { rootMargin: "600px 0px" });
    all.forEach(function (el) { near.observe(el); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
