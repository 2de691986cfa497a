// The live panels of the book's pages (markup: rnnkit/book/live.py): a sampler and a neuron view
// on a model that runs in the reader's browser (model.js), with no kernel and no network.
//
// Sampler: prime, temperature, top-k, length, seed, "sample"; the text appears as the model writes
// it, a few milliseconds of steps at a time, so the page stays responsive.
// Neuron view: the reader's text, each character coloured by a chosen cell (as the article's
// figures, blue -1 / white 0 / red +1), and the model's five likeliest next characters for the
// character under the pointer or the keyboard cursor.
(function (root) {
  "use strict";
  var live = root.rnnkitLive;
  var SLICE_MS = 12;  // steps per slice of time, then the browser paints and handles input
  var NEG = [49, 104, 176], MID = [255, 255, 255], POS = [196, 37, 45];  // as rnnkit.book.views
  var VISIBLE = { "\n": "\u21b5", "\t": "\u2192", "\r": "", " ": "\u00a0" };

  function colour(v) {  // a cell's value in [-1, 1] -> background and ink
    v = Math.max(-1, Math.min(1, v));
    var end = v >= 0 ? POS : NEG, a = Math.abs(v);
    var c = MID.map(function (m, i) { return Math.round(m + (end[i] - m) * a); });
    return { bg: "rgb(" + c.join(", ") + ")", ink: (luminance(c) + 0.05) ** 2 < 1.05 * 0.05 ? "#fff" : "#000" };
  }
  // WCAG's relative luminance: the ink is black or white, whichever contrasts more with the
  // background (as rnnkit.book.views does), so one always reaches 4.5:1.
  function luminance(c) {
    var w = [0.2126, 0.7152, 0.0722];
    return c.reduce(function (s, x, i) {
      x /= 255; return s + w[i] * (x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4));
    }, 0);
  }

  function mount(el) {
    if (el.dataset.mounted) return;
    el.dataset.mounted = "1";
    var q = function (sel) { return el.querySelector(sel); };
    var status = q(".rnnkit-live-status"), opts = JSON.parse(el.dataset.options);
    var model = null, waiting = [];
    status.textContent = "Loading the model (" + opts.size + ") ...";
    root.rnnkitNeed(el.dataset.model, function () {  // defined by the panel's own script
      try {
        model = new live.Model(live.models()[el.dataset.key]);
      } catch (e) {
        status.textContent = "The model could not be read: " + e.message;
        return;
      }
      status.textContent = "The model is ready: it runs in this page (" + model.kernel + ").";
      el.dataset.ready = "1";
      waiting.forEach(function (f) { f(); });
    }, function () {
      status.textContent = "The model file could not be loaded; the live panel works in the built book's pages.";
    });
    function withModel(f) { if (model) f(); else waiting.push(f); }
    if (q(".rnnkit-live-sampler")) sampler(el, q, status, withModel, function () { return model; });
    if (q(".rnnkit-live-neurons")) neurons(el, q, opts, withModel, function () { return model; });
  }

  // ---- the sampler ---------------------------------------------------------------------------

  function sampler(el, q, status, withModel, getModel) {
    var form = q(".rnnkit-live-sampler"), out = q(".rnnkit-live-output"), err = q(".rnnkit-live-error");
    var button = q(".rnnkit-live-go"), running = null;
    function stop(message) {
      if (running) clearTimeout(running.timer);
      running = null; button.textContent = "sample";
      if (message) status.textContent = message;
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (running) return stop("Stopped.");
      withModel(function () { start(getModel()); });
    });
    function number(sel) { return Number(q(sel).value); }
    function start(model) {
      var temperature = number(".rnnkit-live-t"), topK = Math.floor(number(".rnnkit-live-k"));
      var length = Math.floor(number(".rnnkit-live-n")), seed = Math.floor(number(".rnnkit-live-seed"));
      err.textContent = "";
      if (!(temperature >= 0) || !(length >= 1) || !(topK >= 0) || !isFinite(seed)) {
        err.textContent = "Temperature and top-k must be 0 or more, the length at least 1, and the seed a whole number.";
        return;
      }
      var s;
      try {
        s = new live.Sampling(model, { prime: q(".rnnkit-live-prime").value, temperature: temperature,
                                       topK: topK, seed: seed });
      } catch (e) {
        // the prime has a character the model never saw: the last sample goes too, or it would
        // read as the continuation of this prime
        err.textContent = e.message; out.textContent = ""; status.textContent = "";
        return;
      }
      out.textContent = "";
      var head = document.createElement("span");
      head.className = "rnnkit-live-prime-shown"; head.textContent = s.head;
      out.appendChild(head);
      var done = 0, t0 = performance.now(), spent = 0;
      running = { timer: 0 };
      button.textContent = "stop";
      (function slice() {
        var begin = performance.now(), piece = "";
        while (done < length && performance.now() - begin < SLICE_MS) { piece += s.next().text; done++; }
        spent += performance.now() - begin;
        out.appendChild(document.createTextNode(piece));
        el.dataset.charsPerSecond = Math.round(done / (spent / 1000));
        if (done < length && running) { running.timer = setTimeout(slice, 0); return; }
        if (!running) return;
        stop(done + " characters in " + ((performance.now() - t0) / 1000).toFixed(1) + " s (" +
             el.dataset.charsPerSecond + " per second of computing), in this page.");
        el.dataset.done = String(Number(el.dataset.done || 0) + 1);
      })();
    }
  }

  // ---- the neuron view -----------------------------------------------------------------------

  function neurons(el, q, opts, withModel, getModel) {
    var box = q(".rnnkit-live-text"), pick = q(".rnnkit-live-cell"), shown = q(".rnnkit-live-colored");
    var guesses = q(".rnnkit-live-guesses"), err = q(".rnnkit-live-text-error");
    var cells = opts.cells, rows = [], chars = [], cursor = -1, job = 0, timer = 0;

    // Run the model over the text from a zero state: per character, the listed cells' values
    // after its last symbol, and the top five next symbols. In slices, so typing stays smooth.
    function read(model) {
      var mine = ++job, text = box.value, ids;
      err.textContent = "";
      try { ids = model.encode(text, "text"); } catch (e) {
        // the last reading goes too: it was of another text
        err.textContent = e.message; shown.textContent = ""; rows = []; chars = []; cursor = -1;
        guesses.textContent = ""; return;
      }
      var ends = [];  // the symbol each character ends on
      Array.from(text).forEach(function (ch) { ends.push((ends.length ? ends[ends.length - 1] : -1) + model.symbols(ch).length); });
      var state = model.initState(), at = 0, out = [];
      (function slice() {
        if (mine !== job) return;  // the text changed: a newer reading runs
        var begin = performance.now();
        for (; at < ids.length && performance.now() - begin < SLICE_MS; at++) {
          var logits = model.step(ids[at], state);
          out.push({ v: cells.map(function (c) { var s = state[c.layer]; return s.c ? Math.tanh(s.c[c.unit]) : s.h[c.unit]; }),
                     top: live.topk(logits, 5) });
        }
        if (at < ids.length) { setTimeout(slice, 0); return; }
        rows = ends.map(function (e) { return out[e]; }); chars = Array.from(text);
        render(model);
        el.dataset.read = String(Number(el.dataset.read || 0) + 1);
      })();
    }

    function render(model) {
      var k = Number(pick.value), frag = document.createDocumentFragment();
      chars.forEach(function (ch, i) {
        var span = document.createElement("span"), v = rows[i].v[k], c = colour(v);
        span.className = "rnnkit-c"; span.dataset.i = i; span.dataset.v = v.toFixed(4);
        span.style.backgroundColor = c.bg; span.style.color = c.ink;
        span.textContent = ch in VISIBLE ? VISIBLE[ch] : ch;
        frag.appendChild(span);
        if (ch === "\n") frag.appendChild(document.createTextNode("\n"));
      });
      shown.textContent = "";
      shown.appendChild(frag);
      if (cursor >= chars.length) cursor = chars.length - 1;
      if (cursor >= 0) guess(model, cursor);
    }

    function symbolLabel(model, id) {
      var s = model.chars[id], code = s.charCodeAt(0);
      if (model.encoding === "bytes" && code >= 0x80) return "byte 0x" + code.toString(16);
      return s in VISIBLE && s !== " " ? VISIBLE[s] : s === " " ? "space" : s;
    }

    function guess(model, i) {
      var old = shown.querySelector(".rnnkit-live-cursor");
      if (old) old.classList.remove("rnnkit-live-cursor");
      cursor = i;
      var span = shown.querySelector('[data-i="' + i + '"]');
      if (span) span.classList.add("rnnkit-live-cursor");
      var ch = chars[i] === " " ? "space" : VISIBLE[chars[i]] || chars[i];
      guesses.textContent = "After \u201c" + ch + "\u201d (value " + rows[i].v[Number(pick.value)].toFixed(2) +
        ") the model expects: " + rows[i].top.map(function (g) {
          return symbolLabel(model, g.id) + " " + (100 * g.p).toFixed(0) + "%";
        }).join(" \u00b7 ");
    }

    box.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(function () { withModel(function () { read(getModel()); }); }, 150); });
    pick.addEventListener("change", function () { if (rows.length) render(getModel()); });
    shown.addEventListener("mouseover", function (e) {
      if (e.target.dataset && e.target.dataset.i !== undefined) guess(getModel(), Number(e.target.dataset.i));
    });
    shown.addEventListener("keydown", function (e) {
      var step = { ArrowRight: 1, ArrowLeft: -1, Home: -Infinity, End: Infinity }[e.key];
      if (step === undefined || !chars.length) return;
      e.preventDefault();
      guess(getModel(), Math.max(0, Math.min(chars.length - 1, (cursor < 0 ? 0 : cursor) + step)));
    });
    withModel(function () { read(getModel()); });
  }

  live.mount = mount;
  live.colour = colour;
})(globalThis);
