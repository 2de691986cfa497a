// rnnkit's character model in the reader's browser: the article's `step`, in JavaScript.
// (Also chapter 18's minGRU, rnnkit.tasks.minrnn.CharMinGRU: new Model() gives a MinGRU for it.)
//
// A model file written by rnnkit.export registers itself as globalThis.rnnkitModels[key]:
// model arguments, vocabulary, and every weight (int8 with a float32 scale per row, or
// float16; biases float32). new Model(that) rebuilds the float32 weights, exactly the ones
// rnnkit.export.dequantize gives torch, and step() runs the same equations as CharRNN.step
// (rnnkit/model.py), gates in torch's order, in float32 as torch (tests/test_export.py checks
// 200 steps against torch).
// No framework, no network: plain functions on typed arrays.
(function (root) {
  "use strict";

  // ---- reading the exported weights --------------------------------------------------------

  function bytesOf(base64) {
    var text = atob(base64), out = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
    return out;
  }

  function halfToFloat(bits) {  // IEEE 754 half precision -> number
    var sign = bits & 0x8000 ? -1 : 1, exp = (bits >> 10) & 0x1f, frac = bits & 0x3ff;
    if (exp === 0) return sign * frac * Math.pow(2, -24);
    if (exp === 31) return frac ? NaN : sign * Infinity;
    return sign * (1 + frac / 1024) * Math.pow(2, exp - 15);
  }

  // One entry of the file -> {rows, cols, w: Float32Array (row-major)}: w = q * scale for int8.
  function tensor(entry) {
    var raw = bytesOf(entry.data), n = entry.shape.reduce(function (a, b) { return a * b; }, 1);
    var rows = entry.shape[0], cols = n / rows, w = new Float32Array(n);
    if (entry.dtype === "float32") {
      w.set(new Float32Array(raw.buffer, 0, n));
    } else if (entry.dtype === "float16") {
      var half = new Uint16Array(raw.buffer, 0, n);
      for (var i = 0; i < n; i++) w[i] = halfToFloat(half[i]);
    } else if (entry.dtype === "int8") {
      var q = new Int8Array(raw.buffer, 0, n), scale = new Float32Array(bytesOf(entry.scale).buffer);
      for (var r = 0; r < rows; r++)
        for (var k = 0; k < cols; k++) w[r * cols + k] = q[r * cols + k] * scale[r];
    } else {
      throw new Error("unknown weight type " + entry.dtype);
    }
    return { rows: rows, cols: cols, w: w };
  }

  // ---- the arithmetic ------------------------------------------------------------------------

  // Every weight and vector lives in one block of float32s. A matrix's rows are padded to a
  // multiple of 8 numbers (zeros), and so is every vector, so the fast kernel below can read
  // eight at a time. M = {at, rows, cols, stride}, v = {at, n}: offsets into that block.
  var PAD = 8;
  function padded(n) { return Math.ceil(n / PAD) * PAD; }

  // out = bias + M x, in plain JavaScript (the reference, and the fallback without WebAssembly)
  function matvecJS(f, M, x, bias, out) {
    for (var j = 0; j < M.rows; j++) {
      var at = M.at + j * M.stride, s = 0;
      for (var k = 0; k < M.cols; k++) s += f[at + k] * f[x.at + k];
      f[out.at + j] = f[bias.at + j] + s;
    }
  }

  // The same loop in WebAssembly SIMD: four multiply-adds per instruction, two at a time, about
  // ten times faster than the JavaScript (sampling reads every weight once per character).
  // A hand-assembled module with one function, in the text format:
  //   (func (export "matvec") (param $w $x $b $out $rows $rowBytes i32) (local $k i32) (local $a $a2 v128)
  //     (loop $row  (a, a2 = 0) (k = 0)
  //       (loop $col  a += w[0:4] * x[k:k+4];  a2 += w[4:8] * x[k+4:k+8];  w += 32 bytes; k += 32
  //                   (br_if $col (k < rowBytes)))
  //       out[0] = ((a+a2)[0] + (a+a2)[1]) + ((a+a2)[2] + (a+a2)[3]) + b[0];  out += 4; b += 4
  //       (br_if $row (--rows))))
  function kernelBytes() {
    function leb(n) { var o = []; do { var b = n & 0x7f; n >>>= 7; o.push(n ? b | 0x80 : b); } while (n); return o; }
    function section(id, bytes) { return [id].concat(leb(bytes.length), bytes); }
    function name(s) { return [s.length].concat(Array.from(s, function (c) { return c.charCodeAt(0); })); }
    var W = 0, X = 1, B = 2, OUT = 3, ROWS = 4, BYTES = 5, K = 6, A = 7, A2 = 8;
    function get(i) { return [0x20, i]; } function set(i) { return [0x21, i]; } function tee(i) { return [0x22, i]; }
    function add(n) { return [0x41].concat(leb(n), [0x6a]); }  // i32.const n; i32.add
    function load(off) { return [0xfd, 0x00, 0x04, off]; }       // v128.load offset=off
    var mul4 = [0xfd, 0xe6, 0x01], add4 = [0xfd, 0xe4, 0x01], zero = [0xfd, 0x0c].concat(new Array(16).fill(0));
    function lane(i) { return get(A).concat([0xfd, 0x1f, i]); }  // f32x4.extract_lane
    function fma(acc, off) { return [].concat(get(acc), get(W), load(off), get(X), get(K), [0x6a], load(off), mul4, add4, set(acc)); }
    var code = [].concat(
      [0x02, 0x40], get(ROWS), [0x45, 0x0d, 0x00],          // block; if rows == 0 leave
      [0x03, 0x40], zero, set(A), zero, set(A2), [0x41, 0x00], set(K),
      [0x03, 0x40], fma(A, 0), fma(A2, 16), get(W), add(32), set(W),
      get(K), add(32), tee(K), get(BYTES), [0x49, 0x0d, 0x00, 0x0b],  // k < rowBytes: again
      get(OUT), get(A), get(A2), add4, set(A),
      lane(0), lane(1), [0x92], lane(2), lane(3), [0x92, 0x92], get(B), [0x2a, 0x02, 0x00, 0x92],
      [0x38, 0x02, 0x00], get(OUT), add(4), set(OUT), get(B), add(4), set(B),  // f32.store; out++, b++
      get(ROWS), [0x41, 0x01, 0x6b], tee(ROWS), [0x0d, 0x00, 0x0b, 0x0b, 0x0b]);
    var body = [0x02, 0x01, 0x7f, 0x02, 0x7b].concat(code);  // locals: 1 i32, 2 v128
    return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00].concat(
      section(1, [0x01, 0x60, 0x06, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x00]),
      section(2, [0x01].concat(name("env"), name("mem"), [0x02, 0x00, 0x01])),
      section(3, [0x01, 0x00]), section(7, [0x01].concat(name("matvec"), [0x00, 0x00])),
      section(10, [0x01].concat(leb(body.length), body))));
  }

  // A block of `floats` float32s and the matvec that works on it: WebAssembly's when the
  // browser has SIMD (every current one), else the JavaScript loop.
  function Block(floats, useWasm) {
    var bytes = kernelBytes();
    var wasm = useWasm !== false && typeof WebAssembly === "object" && WebAssembly.validate(bytes);
    if (wasm) {
      var memory = new WebAssembly.Memory({ initial: Math.ceil((floats * 4 + 64) / 65536) });
      var mv = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { mem: memory } }).exports.matvec;
      this.f = new Float32Array(memory.buffer);
      this.matvec = function (M, x, bias, out) { mv(4 * M.at, 4 * x.at, 4 * bias.at, 4 * out.at, M.rows, 4 * M.stride); };
    } else {
      var f = this.f = new Float32Array(floats);
      this.matvec = function (M, x, bias, out) { matvecJS(f, M, x, bias, out); };
    }
    this.kernel = wasm ? "WebAssembly SIMD" : "JavaScript";
    this.used = 0;
  }
  // Room for n numbers (padded): {at, n, v (a view)}.
  Block.prototype.vector = function (n) {
    var at = this.used; this.used += padded(n);
    return { at: at, n: n, v: this.f.subarray(at, at + n) };
  };
  Block.prototype.matrix = function (T) {  // a tensor() copied in, rows padded
    var stride = padded(T.cols), at = this.used;
    this.used += T.rows * stride;
    for (var r = 0; r < T.rows; r++) this.f.set(T.w.subarray(r * T.cols, (r + 1) * T.cols), at + r * stride);
    return { at: at, rows: T.rows, cols: T.cols, stride: stride, v: this.f.subarray(at, at + T.rows * stride) };
  };
  function row(M, i) { return M.v.subarray(i * M.stride, i * M.stride + M.cols); }
  Block.prototype.copy = function (T) { var v = this.vector(T.w.length); v.v.set(T.w); return v; };

  function sigmoid(v) { return 1 / (1 + Math.exp(-v)); }

  var GATES = { rnn: 1, gru: 3, lstm: 4 };

  // ---- the model -----------------------------------------------------------------------------

  // opts.wasm === false: the plain JavaScript matvec (tests compare the two).
  function Model(data, opts) {
    if (!data || data.format !== "rnnkit-browser-v1") throw new Error("not a model written by rnnkit.export");
    if (data.args.cell === "mingru") return new MinGRU(data, opts);  // chapter 18's model, below
    var a = data.args, t = data.tensors, l, j;
    this.cell = a.cell; this.hidden = a.hidden; this.nLayers = a.n_layers; this.vocabSize = a.vocab_size;
    this.chars = Array.from(data.vocab.chars); // one symbol per code point, as Python's str
    this.encoding = data.vocab.encoding;       // "bytes": one symbol per byte of UTF-8
    this.stoi = new Map(this.chars.map(function (c, i) { return [c, i]; }));
    var H = this.hidden, G = GATES[this.cell] * H, V = this.vocabSize;
    // decode everything first, then size the block: it cannot grow under its views
    var T = {}, floats = 0;
    Object.keys(t).forEach(function (k) { T[k] = tensor(t[k]); floats += T[k].rows * padded(T[k].cols); });
    floats += V * padded(G) + (a.n_layers * 6 + 4) * padded(Math.max(G, V, a.embed || 0));
    var m = this.block = new Block(floats, (opts || {}).wasm);
    this.kernel = m.kernel;
    this.embedding = a.embed ? m.matrix(T["embedding.weight"]) : null;
    this.layers = [];
    for (l = 0; l < this.nLayers; l++) {
      var p = "layers." + l + ".", L = {
        wih: m.matrix(T[p + "weight_ih_l0"]), whh: m.matrix(T[p + "weight_hh_l0"]),
        bih: m.copy(T[p + "bias_ih_l0"]), bhh: m.copy(T[p + "bias_hh_l0"]),
        x: m.vector(l ? H : a.embed || V), h: m.vector(H),  // this step's inputs, copied in
        xw: m.vector(G), hw: m.vector(G), columns: null,
      };
      if (l === 0 && !this.embedding) {
        // one-hot input: W_ih times a one-hot is a column of W_ih; keep each column (plus b_ih)
        // as one contiguous row, so a step reads it in order (as rnnkit's Stepper does)
        var cols = { rows: V, cols: G, w: new Float32Array(V * G) }, w = T[p + "weight_ih_l0"].w;
        var b = T[p + "bias_ih_l0"].w;
        for (var v = 0; v < V; v++) for (j = 0; j < G; j++) cols.w[v * G + j] = w[j * V + v] + b[j];
        L.columns = m.matrix(cols);
      }
      this.layers.push(L);
    }
    this.head = m.matrix(T["head.weight"]); this.headBias = m.copy(T["head.bias"]);
    this.top = m.vector(H); this.logits = m.vector(V);
  }

  // Zeros: per layer h (and c for the LSTM), Float32Arrays of `hidden` numbers.
  Model.prototype.initState = function () {
    var H = this.hidden, lstm = this.cell === "lstm";
    return this.layers.map(function () { return { h: new Float32Array(H), c: lstm ? new Float32Array(H) : null }; });
  };

  // One time step: read symbol id `x`, update `state` in place, return the logits of the next
  // symbol (a Float32Array the next step overwrites). The same equations as CharRNN.step.
  Model.prototype.step = function (x, state) {
    var m = this.block, H = this.hidden, input = null, j;
    if (this.embedding) input = row(this.embedding, x);
    for (var l = 0; l < this.layers.length; l++) {
      var L = this.layers[l], s = state[l], h = s.h, xw = L.xw.v, hw = L.hw.v;
      if (L.columns) {                                   // x W_ih^T + b_ih for a one-hot x
        xw.set(row(L.columns, x));
      } else {
        L.x.v.set(input);
        m.matvec(L.wih, L.x, L.bih, L.xw);               // x W_ih^T + b_ih
      }
      L.h.v.set(h);
      m.matvec(L.whh, L.h, L.bhh, L.hw);                 // h W_hh^T + b_hh
      if (this.cell === "lstm") {                        // gates i, f, g, o
        var c = s.c;
        for (j = 0; j < H; j++) {
          var i = sigmoid(xw[j] + hw[j]), fg = sigmoid(xw[H + j] + hw[H + j]);
          var g = Math.tanh(xw[2 * H + j] + hw[2 * H + j]), o = sigmoid(xw[3 * H + j] + hw[3 * H + j]);
          c[j] = fg * c[j] + i * g;
          h[j] = o * Math.tanh(c[j]);
        }
      } else if (this.cell === "gru") {                  // gates r, z, then the candidate n
        for (j = 0; j < H; j++) {
          var r = sigmoid(xw[j] + hw[j]), z = sigmoid(xw[H + j] + hw[H + j]);
          var n = Math.tanh(xw[2 * H + j] + r * hw[2 * H + j]);
          h[j] = (1 - z) * n + z * h[j];
        }
      } else {
        for (j = 0; j < H; j++) h[j] = Math.tanh(xw[j] + hw[j]);
      }
      input = h;
    }
    this.top.v.set(input);
    m.matvec(this.head, this.top, this.headBias, this.logits);
    return this.logits.v;
  };

  // ---- text in, text out ---------------------------------------------------------------------

  // Python's repr() of one character, so messages read as rnnkit's do in Python.
  function pyRepr(ch) {
    var special = { "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "'": "'" };
    if (ch === "'") return "\"'\"";
    if (special[ch]) return "'" + special[ch] + "'";
    if (ch !== " " && /^[\p{C}\p{Z}]$/u.test(ch)) {
      var cp = ch.codePointAt(0), hex = cp.toString(16);
      var esc = cp < 0x100 ? "\\x" + hex.padStart(2, "0") : cp < 0x10000 ? "\\u" + hex.padStart(4, "0")
        : "\\U" + hex.padStart(8, "0");
      return "'" + esc + "'";
    }
    return "'" + ch + "'";
  }

  // The symbols the model reads for a text the reader typed (bytes mode: one per UTF-8 byte).
  Model.prototype.symbols = function (text) {
    if (this.encoding !== "bytes") return Array.from(text);
    return Array.from(new TextEncoder().encode(text), function (b) { return String.fromCharCode(b); });
  };

  // Text -> ids; an unknown symbol throws the message rnnkit.text.check_known gives in Python,
  // naming the characters the reader typed: a byte model's unknown character is named as itself
  // ('€'), not as the UTF-8 bytes it would read ('\xe2', '\x82', '\xac').
  Model.prototype.encode = function (text, what) {
    var self = this, sym = this.symbols(text), stoi = this.stoi;
    var known = function (c) { return self.symbols(c).every(function (s) { return stoi.has(s); }); };
    var unknown = Array.from(new Set(Array.from(text).filter(function (c) { return !known(c); })));
    if (unknown.length) {
      unknown.sort(function (a, b) { return a.codePointAt(0) - b.codePointAt(0); });
      var shown = unknown.slice(0, 10).map(pyRepr).join(", ") + (unknown.length > 10 ? " ..." : "");
      throw new Error((what || "text") + " has " + unknown.length + " character(s) the model never saw: " + shown);
    }
    return sym.map(function (c) { return stoi.get(c); });
  };

  // A decoder for a stream of ids: push(id) returns the text completed by that symbol. A byte
  // model's character takes several steps; bytes that make no whole UTF-8 character are left
  // out, as rnnkit's Vocab.decode does (Python's errors="ignore", same valid ranges).
  Model.prototype.decoder = function () {
    var chars = this.chars;
    if (this.encoding !== "bytes") return { push: function (id) { return chars[id]; } };
    var cp = 0, need = 0, lo = 0x80, hi = 0xbf;
    function push(id) {
      var b = chars[id].charCodeAt(0);
      if (need) {
        if (b >= lo && b <= hi) {
          cp = (cp << 6) | (b & 0x3f); lo = 0x80; hi = 0xbf;
          return --need ? "" : String.fromCodePoint(cp);
        }
        need = 0;  // a broken character: drop it, and read this byte afresh
      }
      if (b < 0x80) return String.fromCharCode(b);
      lo = 0x80; hi = 0xbf;
      if (b >= 0xc2 && b <= 0xdf) { need = 1; cp = b & 0x1f; }
      else if (b >= 0xe0 && b <= 0xef) { need = 2; cp = b & 0x0f; lo = b === 0xe0 ? 0xa0 : 0x80; hi = b === 0xed ? 0x9f : 0xbf; }
      else if (b >= 0xf0 && b <= 0xf4) { need = 3; cp = b & 0x07; lo = b === 0xf0 ? 0x90 : 0x80; hi = b === 0xf4 ? 0x8f : 0xbf; }
      return "";
    }
    return { push: push };
  };

  // ---- minGRU: rnnkit.tasks.minrnn.CharMinGRU ----------------------------------------------------

  // x -> (x - mean) / sqrt(var + 1e-5) * w + b over n numbers, as torch's LayerNorm
  function layerNorm(x, out, w, b) {
    var n = x.length, mean = 0, v = 0, j;
    for (j = 0; j < n; j++) mean += x[j];
    mean /= n;
    for (j = 0; j < n; j++) v += (x[j] - mean) * (x[j] - mean);
    var inv = 1 / Math.sqrt(v / n + 1e-5);
    for (j = 0; j < n; j++) out[j] = (x[j] - mean) * inv * w[j] + b[j];
  }

  // The gates read the input only. Per layer: [pre, cand] = W_g LN1(x) + b_g;
  // h = sigmoid(-pre) h + sigmoid(pre) cand; x += h; x += W_2 silu(W_1 LN2(x) + b_1) + b_2.
  // Then the head reads LN(x). The same equations as CharMinGRU.step, in the same block of floats.
  function MinGRU(data, opts) {
    var a = data.args, t = data.tensors, H = a.hidden, E = a.expand * H, V = a.vocab_size;
    this.cell = a.cell; this.hidden = H; this.nLayers = a.n_layers; this.vocabSize = V;
    this.chars = Array.from(data.vocab.chars);
    this.encoding = data.vocab.encoding;
    this.stoi = new Map(this.chars.map(function (c, i) { return [c, i]; }));
    var T = {}, floats = 0;
    Object.keys(t).forEach(function (k) { T[k] = tensor(t[k]); floats += T[k].rows * padded(T[k].cols); });
    floats += 8 * padded(Math.max(E, 2 * H, V));
    var m = this.block = new Block(floats, (opts || {}).wasm);
    this.kernel = m.kernel;
    this.embedding = m.matrix(T["embedding.weight"]);
    this.layers = [];
    for (var l = 0; l < this.nLayers; l++) {
      var p = "layers." + l + ".";
      this.layers.push({
        ln1w: m.copy(T[p + "ln1.weight"]), ln1b: m.copy(T[p + "ln1.bias"]),
        gates: m.matrix(T[p + "gates.weight"]), gatesB: m.copy(T[p + "gates.bias"]),
        ln2w: m.copy(T[p + "ln2.weight"]), ln2b: m.copy(T[p + "ln2.bias"]),
        w1: m.matrix(T[p + "mlp.0.weight"]), b1: m.copy(T[p + "mlp.0.bias"]),
        w2: m.matrix(T[p + "mlp.2.weight"]), b2: m.copy(T[p + "mlp.2.bias"]),
      });
    }
    this.lnw = m.copy(T["ln.weight"]); this.lnb = m.copy(T["ln.bias"]);
    this.head = m.matrix(T["head.weight"]); this.headBias = m.copy(T["head.bias"]);
    this.x = m.vector(H); this.u = m.vector(H); this.g = m.vector(2 * H); this.mid = m.vector(E);
    this.out = m.vector(H); this.logits = m.vector(V);
  }
  ["symbols", "encode", "decoder"].forEach(function (k) { MinGRU.prototype[k] = Model.prototype[k]; });

  // Zeros: one state of `hidden` numbers per layer (the whole memory, at any context).
  MinGRU.prototype.initState = function () {
    var H = this.hidden;
    return this.layers.map(function () { return { h: new Float32Array(H), c: null }; });
  };

  MinGRU.prototype.step = function (id, state) {
    var m = this.block, H = this.hidden, x = this.x.v, g = this.g.v, mid = this.mid.v, out = this.out.v, j;
    x.set(row(this.embedding, id));
    for (var l = 0; l < this.layers.length; l++) {
      var L = this.layers[l], h = state[l].h;
      layerNorm(x, this.u.v, L.ln1w.v, L.ln1b.v);
      m.matvec(L.gates, this.u, L.gatesB, this.g);
      for (j = 0; j < H; j++) {
        h[j] = h[j] / (1 + Math.exp(g[j])) + g[H + j] / (1 + Math.exp(-g[j]));  // a h + z cand
        x[j] += h[j];
      }
      layerNorm(x, this.u.v, L.ln2w.v, L.ln2b.v);
      m.matvec(L.w1, this.u, L.b1, this.mid);
      for (j = 0; j < mid.length; j++) mid[j] = mid[j] / (1 + Math.exp(-mid[j]));  // silu
      m.matvec(L.w2, this.mid, L.b2, this.out);
      for (j = 0; j < H; j++) x[j] += out[j];
    }
    layerNorm(x, this.u.v, this.lnw.v, this.lnb.v);
    m.matvec(this.head, this.u, this.headBias, this.logits);
    return this.logits.v;
  };

  // ---- sampling ------------------------------------------------------------------------------

  // A small seeded generator (mulberry32): the same seed, the same text.
  function random(seed) {
    var a = seed >>> 0;
    return function () {
      a = (a + 0x6d2b79f5) >>> 0;
      var t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  // Pick the next id from the logits: temperature 0 takes the likeliest; top-k keeps the k
  // likeliest (ties with the k-th too, as rnnkit.sample does); then softmax(logits / T).
  function pick(logits, temperature, topK, rand) {
    var V = logits.length, best = 0, i;
    for (i = 1; i < V; i++) if (logits[i] > logits[best]) best = i;
    if (!(temperature > 0)) return best;
    var floor = -Infinity;
    if (topK && topK < V) floor = Array.from(logits).sort(function (a, b) { return b - a; })[topK - 1];
    var p = new Float64Array(V), total = 0;
    for (i = 0; i < V; i++) if (logits[i] >= floor) total += (p[i] = Math.exp((logits[i] - logits[best]) / temperature));
    var u = rand() * total;
    for (i = 0; i < V; i++) if ((u -= p[i]) < 0 && p[i] > 0) return i;
    return best;
  }

  // A sample in progress: reads the prime (an Error for an unknown character), then next()
  // gives one more piece of text per call. With no prime it starts as after a line break (not
  // shown), or from a random symbol (shown) if the vocabulary has no newline, as in Python.
  function Sampling(model, opts) {
    this.model = model; this.temperature = Number(opts.temperature); this.topK = opts.topK || 0;
    this.rand = random(opts.seed || 0); this.state = model.initState(); this.decoder = model.decoder();
    var ids = opts.prime ? model.encode(opts.prime, "prime text") : null, shown = true;
    if (!ids && model.stoi.has("\n")) { ids = [model.stoi.get("\n")]; shown = false; }
    if (!ids) ids = [Math.floor(this.rand() * model.vocabSize)];
    this.text = "";
    for (var i = 0; i < ids.length; i++) {
      this.logits = model.step(ids[i], this.state);
      if (shown) this.text += this.decoder.push(ids[i]);
    }
    this.head = this.text; // what the output starts with: the prime
  }

  Sampling.prototype.next = function () {
    var id = pick(this.logits, this.temperature, this.topK, this.rand);
    this.logits = this.model.step(id, this.state);
    var piece = this.decoder.push(id);
    this.text += piece;
    return { id: id, text: piece };
  };

  // The whole text of `length` new symbols at once (tests, benchmarks; the panel streams).
  function sample(model, opts) {
    var s = new Sampling(model, opts);
    for (var i = 0; i < (opts.length || 0); i++) s.next();
    return s.text;
  }

  // The k likeliest next symbols after softmax(logits): [{id, p}], best first.
  function topk(logits, k) {
    var V = logits.length, max = Math.max.apply(null, logits), total = 0, p = new Float64Array(V), i;
    for (i = 0; i < V; i++) total += (p[i] = Math.exp(logits[i] - max));
    var order = Array.from({ length: V }, function (_, j) { return j; });
    order.sort(function (a, b) { return p[b] - p[a] || a - b; });
    return order.slice(0, k).map(function (id) { return { id: id, p: p[id] / total }; });
  }

  var api = { Model: Model, Sampling: Sampling, sample: sample, topk: topk, pick: pick, random: random,
              pyRepr: pyRepr, models: function () { return root.rnnkitModels || {}; } };
  if (typeof module === "object" && module.exports) module.exports = api;
  root.rnnkitLive = Object.assign(root.rnnkitLive || {}, api);
})(typeof globalThis !== "undefined" ? globalThis : this);
