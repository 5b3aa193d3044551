// Offline search across the package: transcript lines in every language,
// the guide's chapters, the modules. The index is a script of the package
// (assets/search-index.<lang>.js), so nothing is fetched. Accents and case
// fold: "reference" finds "référence", "etat" finds "État".
(function () {
  "use strict";
  var ui = window.CONFKIT_SEARCH_UI;
  var entries = window.CONFKIT_SEARCH || [];
  var input = document.getElementById("q");
  var list = document.getElementById("results");
  var summary = document.getElementById("summary");
  var LIMIT = 60;

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[’‘`]/g, "'").replace(/œ/g, "oe").replace(/æ/g, "ae").toLowerCase();
  }
  // Folded once: the largest package's index is searched at each key press.
  var began = performance.now();
  var folded = entries.map(function (e) { return fold(e.text); });
  // How long folding and the last search took, in ms, for scripts/bench-search.
  list.dataset.foldMs = (performance.now() - began).toFixed(1);

  // The text of `entry` with the query's words marked, where folding kept
  // positions (it does for French and English: one letter, one letter).
  function highlight(text, words) {
    var f = fold(text);
    var fragment = document.createDocumentFragment();
    if (f.length !== text.length) { fragment.appendChild(document.createTextNode(text)); return fragment; }
    var marks = [];
    words.forEach(function (w) {
      var at = f.indexOf(w);
      while (at >= 0) { marks.push([at, at + w.length]); at = f.indexOf(w, at + w.length); }
    });
    marks.sort(function (a, b) { return a[0] - b[0]; });
    var pos = 0;
    marks.forEach(function (m) {
      if (m[0] < pos) return;
      fragment.appendChild(document.createTextNode(text.slice(pos, m[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(m[0], m[1]);
      fragment.appendChild(mark);
      pos = m[1];
    });
    fragment.appendChild(document.createTextNode(text.slice(pos)));
    return fragment;
  }

  function search(query) {
    var began = performance.now();
    var q = fold(query).trim().replace(/\s+/g, " ");
    list.textContent = "";
    if (!q) { summary.textContent = ""; return; }
    var words = q.split(" ");
    var found = [];
    for (var i = 0; i < folded.length; i++) {
      var text = folded[i];
      var all = true;
      for (var k = 0; k < words.length; k++) {
        if (text.indexOf(words[k]) < 0) { all = false; break; }
      }
      if (!all) continue;
      // The whole phrase first, then the page's own language.
      var score = (text.indexOf(q) >= 0 ? 0 : 2) + (entries[i].lang === ui.lang ? 0 : 1);
      found.push([score, i]);
    }
    found.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    summary.textContent = (found.length === 0 ? ui.none : found.length === 1 ? ui.one : ui.count.replace("{n}", found.length))
      + (found.length > LIMIT ? " " + ui.first.replace("{n}", LIMIT) : "");
    found.slice(0, LIMIT).forEach(function (hit) {
      var e = entries[hit[1]];
      var item = document.createElement("li");
      item.className = "result result-" + e.kind;
      var link = document.createElement("a");
      link.href = e.href;
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = ui.kinds[e.kind];
      link.appendChild(kind);
      link.appendChild(document.createTextNode(" " + e.place + (e.at ? " · " + e.at : "")));
      var text = document.createElement("p");
      text.lang = e.lang;
      text.appendChild(highlight(e.text, words));
      item.appendChild(link);
      item.appendChild(text);
      list.appendChild(item);
    });
    list.dataset.searchMs = (performance.now() - began).toFixed(1);
  }

  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  input.addEventListener("input", function () { search(input.value); });
  document.querySelector("form.search-page").addEventListener("submit", function (event) {
    event.preventDefault();
    search(input.value);
  });
  search(input.value);
  input.focus();
})();
