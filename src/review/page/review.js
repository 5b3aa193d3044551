// The review page: one recording, its transcripts side by side, the cues
// that need a human look highlighted. Everything comes from the data
// embedded in the page (no request for local files, so it works from
// file:// with no network). Transcript text is untrusted: it only ever
// reaches the page through textContent and attributes, never as markup.
(function () {
  "use strict";

  var data = typeof REVIEW !== "undefined" && REVIEW && typeof REVIEW === "object" ? REVIEW : null;

  var LANGUAGE_NAMES = { fr: "French", en: "English", ar: "Arabic", es: "Spanish", pt: "Portuguese", de: "German", it: "Italian", ha: "Hausa" };

  // Flag kinds and how loud they are. Kinds not listed here are shown too,
  // under their own name, at the quietest level.
  var FLAG_LEVELS = {
    "wrong-language": "alert",
    "mixed-script": "alert",
    "number-mismatch": "alert",
    "acronym-mismatch": "alert",
    "loop": "alert",
    "low-confidence": "warn",
    "compression": "warn",
    "mid-sentence": "note",
    "glossary": "note",
    "subtitle-rule": "note"
  };
  var LEVEL_RANK = { alert: 3, warn: 2, note: 1 };

  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

  var FOLLOW_PAUSE_MS = 3000;

  // ---- small helpers -------------------------------------------------

  function list(value) { return Array.isArray(value) ? value : []; }

  function text(value) {
    if (value === null || value === undefined) return "";
    return String(value);
  }

  function number(value) {
    var n = typeof value === "number" ? value : parseFloat(value);
    return isFinite(n) ? n : NaN;
  }

  function el(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined && content !== null) node.textContent = String(content);
    return node;
  }

  function pad(n, width) {
    var s = String(n);
    while (s.length < width) s = "0" + s;
    return s;
  }

  function timecode(seconds) {
    var s = number(seconds);
    if (isNaN(s)) return "--:--:--.-";
    var sign = s < 0 ? "-" : "";
    var tenths = Math.round(Math.abs(s) * 10);
    var h = Math.floor(tenths / 36000);
    var m = Math.floor(tenths / 600) % 60;
    var sec = Math.floor(tenths / 10) % 60;
    return sign + pad(h, 2) + ":" + pad(m, 2) + ":" + pad(sec, 2) + "." + (tenths % 10);
  }

  function span(start, end) {
    return timecode(start) + "\u2013" + timecode(end);
  }

  function languageName(code) {
    var c = text(code);
    return LANGUAGE_NAMES[c.toLowerCase()] || (c ? c.toUpperCase() : "Unknown language");
  }

  function languageClass(code) {
    return text(code).toLowerCase().replace(/[^a-z0-9-]/g, "");
  }

  // "2026-12-02T05:00:00Z" -> "2 December 2026"; anything else as given.
  function humanDate(value) {
    var v = text(value);
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(v);
    if (!m) return v;
    var month = parseInt(m[2], 10);
    if (month < 1 || month > 12) return v;
    return parseInt(m[3], 10) + " " + MONTHS[month - 1] + " " + m[1];
  }

  function flagLevel(kind) {
    return FLAG_LEVELS[text(kind)] || "note";
  }

  function reducedMotion() {
    return window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  // ---- the page's elements ------------------------------------------

  var video = document.getElementById("video");
  var notice = document.getElementById("video-notice");
  var player = document.getElementById("player");
  var rowsBody = document.getElementById("cue-rows");
  var head = document.getElementById("cue-head");
  var counts = document.getElementById("counts");
  var nowTime = document.getElementById("now-time");
  var nowCues = document.getElementById("now-cues");
  var printFilter = document.getElementById("print-filter");

  if (!data) {
    document.getElementById("title").textContent = "No review data";
    showNotice("This page holds no review data: it was written without a recording.");
    video.hidden = true;
    data = {};
  }

  var recording = data.recording && typeof data.recording === "object" ? data.recording : {};
  var transcripts = list(data.transcripts).filter(function (t) { return t && typeof t === "object"; });
  var cues = list(data.cues).filter(function (c) { return c && typeof c === "object"; });
  var bleeps = list(data.bleeps).filter(function (b) { return b && typeof b === "object"; });
  var clips = list(data.clips).filter(function (c) { return c && typeof c === "object"; });
  var problems = list(data.problems).map(text).filter(function (p) { return p; });

  // Languages: the transcripts' order, then any language found only in cues.
  var languages = [];
  transcripts.forEach(function (t) {
    var code = text(t.language);
    if (languages.indexOf(code) < 0) languages.push(code);
  });
  cues.forEach(function (c) {
    var code = text(c.language);
    if (languages.indexOf(code) < 0) languages.push(code);
  });

  // ---- header --------------------------------------------------------

  var title = text(recording.title) || text(recording.id) || "Untitled recording";
  document.title = "Review \u00b7 " + title;
  if (data.recording || data.transcripts) document.getElementById("title").textContent = title;
  document.getElementById("recording-id").textContent = text(recording.id);

  function stateBadge(t) {
    var state = text(t.state);
    var badge = el("span", "badge");
    if (state === "machine") {
      badge.classList.add("badge-machine");
      badge.textContent = "machine, not reviewed";
    } else if (state === "draft") {
      badge.classList.add("badge-draft");
      badge.textContent = "draft, not signed off";
    } else if (state === "reviewed") {
      badge.classList.add("badge-reviewed");
      var words = "reviewed";
      if (t.by) words += " by " + text(t.by);
      if (t.at) words += " on " + humanDate(t.at);
      badge.textContent = words;
      if (t.at) badge.title = text(t.at);
    } else if (state === "missing") {
      badge.classList.add("badge-machine");
      badge.textContent = "missing, nothing to review";
    } else {
      badge.classList.add("badge-other");
      badge.textContent = state ? "state: " + state : "state unknown";
    }
    return badge;
  }

  function fact(dl, term, value, className) {
    dl.appendChild(el("dt", null, term));
    var dd = el("dd", className || null);
    if (value instanceof Node) dd.appendChild(value); else dd.textContent = value;
    dl.appendChild(dd);
  }

  var flaggedByLanguage = {};
  var cuesByLanguage = {};
  languages.forEach(function (code) { flaggedByLanguage[code] = 0; cuesByLanguage[code] = 0; });
  cues.forEach(function (c) {
    var code = text(c.language);
    cuesByLanguage[code] += 1;
    if (list(c.flags).length) flaggedByLanguage[code] += 1;
  });

  (function renderTranscripts() {
    var holder = document.getElementById("transcripts");
    if (!transcripts.length) {
      holder.appendChild(el("li", "transcript quiet", "No transcript listed for this recording."));
      return;
    }
    transcripts.forEach(function (t) {
      var code = text(t.language);
      var item = el("li", "transcript transcript-" + (text(t.state) || "unknown"));
      var top = el("div", "transcript-head");
      var name = el("h2", "transcript-language", languageName(code));
      name.appendChild(el("span", "code", code));
      top.appendChild(name);
      top.appendChild(stateBadge(t));
      item.appendChild(top);

      var dl = el("dl", "facts");
      var source = text(t.source);
      fact(dl, "Source", source === "missing" ? "missing: no transcript for this language" : (source || "not given"), source === "missing" ? "warn-text" : null);
      if (t.file) {
        fact(dl, "File", el("code", null, text(t.file)));
      } else {
        fact(dl, "File", "no file written yet", "quiet");
      }
      var lag = number(t.lag_s);
      if (t.lag_s !== null && t.lag_s !== undefined && !isNaN(lag)) {
        fact(dl, "Timing", "interpretation placed on the floor timeline, lag " + lag.toFixed(1) + " s");
      }
      if (t.note) fact(dl, "Note", text(t.note));
      fact(dl, "Flagged", flaggedByLanguage[code] + " of " + cuesByLanguage[code] + " cue" + (cuesByLanguage[code] === 1 ? "" : "s"));
      item.appendChild(dl);
      holder.appendChild(item);
    });
  })();

  (function renderProblems() {
    if (!problems.length) return;
    var box = document.getElementById("problems");
    box.appendChild(el("h2", null, "Could not be read"));
    var ul = el("ul");
    problems.forEach(function (p) { ul.appendChild(el("li", null, p)); });
    box.appendChild(ul);
    box.hidden = false;
  })();

  // ---- video ---------------------------------------------------------

  function showNotice(message) {
    notice.textContent = message;
    notice.hidden = false;
  }

  var videoOk = false;
  var videoPath = text(recording.video);
  if (videoPath) {
    video.addEventListener("error", function () {
      videoOk = false;
      video.hidden = true;
      var shown = videoPath;
      try { shown = decodeURI(videoPath); } catch (e) { /* keep it as written */ }
      showNotice("The recording could not be opened from here: " + shown);
      updateStickyHeight();
    });
    video.addEventListener("loadedmetadata", function () { videoOk = true; });
    video.src = videoPath;
    videoOk = true;
  } else if (data.recording || data.transcripts) {
    video.hidden = true;
    showNotice("No recording is linked to this review.");
  }

  // ---- bleeps list ---------------------------------------------------

  (function renderBleeps() {
    var holder = document.getElementById("bleeps");
    var heading = document.getElementById("bleeps-title");
    heading.textContent = "Bleeps (" + bleeps.length + ")";
    if (!bleeps.length) {
      holder.appendChild(el("li", "quiet", "No bleeps in this recording."));
      return;
    }
    bleeps.slice().sort(function (a, b) { return number(a.start) - number(b.start); }).forEach(function (b) {
      var item = el("li");
      var button = el("button", "bleep");
      button.type = "button";
      button.appendChild(el("span", "tc", span(b.start, b.end)));
      if (b.version) button.appendChild(el("span", "version", languageName(b.version) + " version"));
      button.appendChild(el("span", "reason", text(b.reason) || "no reason given"));
      button.setAttribute("aria-label", "Play bleep at " + timecode(b.start) + ", " + (b.version ? languageName(b.version) + " version, " : "") + (text(b.reason) || "no reason given"));
      button.addEventListener("click", function () { seekAndPlay(number(b.start)); });
      item.appendChild(button);
      holder.appendChild(item);
    });
  })();

  // ---- rows: cues of every language aligned in time -----------------

  // Cues are taken by start time; a cue joins the row before it when it
  // overlaps that row by at least half of the shorter of the two (so the
  // French cue and the English cue spoken together share a row, and a
  // chain of cues that barely touch does not become one endless row).
  function buildRows(all) {
    var sorted = all.map(function (c, i) {
      var start = number(c.start), end = number(c.end);
      if (isNaN(start)) start = 0;
      if (isNaN(end) || end < start) end = start;
      return { cue: c, start: start, end: end, order: i, lang: languages.indexOf(text(c.language)) };
    }).sort(function (a, b) {
      return (a.start - b.start) || (a.lang - b.lang) || (a.order - b.order);
    });
    var rows = [];
    var row = null;
    sorted.forEach(function (item) {
      if (row) {
        var overlap = Math.min(item.end, row.end) - Math.max(item.start, row.start);
        var shorter = Math.min(item.end - item.start, row.end - row.start);
        if (item.start < row.end && overlap >= 0.5 * shorter) {
          row.items.push(item);
          row.end = Math.max(row.end, item.end);
          return;
        }
      }
      row = { start: item.start, end: item.end, items: [item] };
      rows.push(row);
    });
    return rows;
  }

  var rows = buildRows(cues);
  var cueRecords = [];   // index -> { cue, start, end, node, row }
  var flaggedNodes = []; // cue nodes with flags, in reading order

  function renderHead() {
    languages.forEach(function (code) {
      var th = el("th");
      th.scope = "col";
      th.className = "lang-" + languageClass(code);
      th.appendChild(el("span", "th-name", languageName(code)));
      var n = flaggedByLanguage[code] || 0;
      th.appendChild(el("span", "th-count" + (n ? " has-flags" : ""), n + " flagged of " + (cuesByLanguage[code] || 0)));
      head.appendChild(th);
    });
  }

  function cueNode(item) {
    var c = item.cue;
    var code = text(c.language);
    var flags = list(c.flags).filter(function (f) { return f && typeof f === "object"; });
    var bleeped = list(c.bleeped).filter(function (b) { return b && typeof b === "object"; });

    var node = el("div", "cue");
    var id = cueRecords.length;
    node.setAttribute("data-cue", String(id));

    var top = el("div", "cue-head");
    var play = el("button", "play");
    play.type = "button";
    play.appendChild(el("span", "lang-tag", code.toUpperCase()));
    play.appendChild(el("span", "tc", timecode(item.start)));
    var label = "Play " + languageName(code) + " cue" + (c.index !== undefined && c.index !== null ? " " + text(c.index) : "") + " from " + timecode(item.start);
    if (flags.length) label += ", " + flags.length + " flag" + (flags.length === 1 ? "" : "s");
    play.setAttribute("aria-label", label);
    top.appendChild(play);
    top.appendChild(el("span", "tc-end", "to " + timecode(item.end)));
    if (c.index !== undefined && c.index !== null) top.appendChild(el("span", "index", "#" + text(c.index)));
    if (flags.length && c.score !== undefined && c.score !== null) {
      var score = el("span", "score", "score " + text(c.score));
      score.title = "Review priority: the higher, the more to check";
      top.appendChild(score);
    }
    node.appendChild(top);

    var body = el("p", "cue-text", text(c.text));
    if (code) body.setAttribute("lang", code);
    if (!text(c.text).trim()) {
      body.textContent = "(empty cue)";
      body.classList.add("quiet");
      body.removeAttribute("lang");
    }
    node.appendChild(body);

    if (flags.length || bleeped.length) {
      var chips = el("ul", "chips");
      var level = 0;
      flags.forEach(function (f) {
        var kind = text(f.kind) || "flag";
        var lv = flagLevel(kind);
        level = Math.max(level, LEVEL_RANK[lv]);
        var chip = el("li", "chip chip-" + lv);
        chip.appendChild(el("span", "chip-kind", kind));
        if (f.reason) chip.appendChild(el("span", "chip-reason", text(f.reason)));
        chips.appendChild(chip);
      });
      bleeped.forEach(function (b) {
        var chip = el("li", "chip chip-bleep");
        chip.appendChild(el("span", "chip-kind", "bleeped"));
        chip.appendChild(el("span", "chip-reason", span(b.start, b.end) + (b.reason ? " \u00b7 " + text(b.reason) : "")));
        chips.appendChild(chip);
      });
      node.appendChild(chips);
      if (flags.length) {
        node.classList.add("flagged");
        node.classList.add(level >= 3 ? "level-alert" : level === 2 ? "level-warn" : "level-note");
      }
      if (bleeped.length) node.classList.add("bleeped");
    }

    cueRecords.push({ cue: c, start: item.start, end: item.end, node: node, row: null, flagged: flags.length > 0 });
    return node;
  }

  function renderRows() {
    var colspan = Math.max(languages.length, 1);
    if (!rows.length) {
      var tr = el("tr", "empty-row");
      var td = el("td", null, "No cues.");
      td.colSpan = colspan;
      tr.appendChild(td);
      rowsBody.appendChild(tr);
      return;
    }
    // Where clips start and end, as thin marks between the rows.
    var marks = [];
    clips.forEach(function (clip) {
      var name = text(clip.title) || text(clip.id) || "clip";
      if (!isNaN(number(clip.start))) marks.push({ at: number(clip.start), words: "clip starts: " + name, edge: "start" });
      if (!isNaN(number(clip.end))) marks.push({ at: number(clip.end), words: "clip ends: " + name, edge: "end" });
    });
    marks.sort(function (a, b) { return a.at - b.at; });
    var nextMark = 0;
    function markRow(mark) {
      var tr = el("tr", "clip-mark clip-" + mark.edge);
      var td = el("td");
      td.colSpan = colspan;
      td.appendChild(el("span", "clip-time", timecode(mark.at)));
      td.appendChild(el("span", "clip-words", mark.words));
      tr.appendChild(td);
      rowsBody.appendChild(tr);
    }
    rows.forEach(function (row, r) {
      while (nextMark < marks.length && marks[nextMark].at <= row.start + 0.05) markRow(marks[nextMark++]);
      var tr = el("tr", "row");
      tr.setAttribute("data-row", String(r));
      row.node = tr;
      row.flagged = false;
      row.records = [];
      languages.forEach(function (code) {
        var here = row.items.filter(function (item) { return text(item.cue.language) === code; });
        var td = el("td", "lang-" + languageClass(code));
        if (!here.length) {
          td.classList.add("empty");
          td.appendChild(el("span", "none", "no " + languageName(code) + " cue"));
        }
        here.forEach(function (item) {
          var node = cueNode(item);
          var record = cueRecords[cueRecords.length - 1];
          record.row = row;
          row.records.push(record);
          if (record.flagged) { row.flagged = true; flaggedNodes.push(node); }
          td.appendChild(node);
        });
        tr.appendChild(td);
      });
      if (row.flagged) tr.classList.add("flagged-row");
      rowsBody.appendChild(tr);
    });
    while (nextMark < marks.length) markRow(marks[nextMark++]);
    var none = el("tr", "empty-row no-flagged");
    var cell = el("td", null, "No flagged cues: nothing was picked out for review.");
    cell.colSpan = colspan;
    none.appendChild(cell);
    rowsBody.appendChild(none);
  }

  if (languages.length) renderHead();
  renderRows();
  rowsBody.classList.toggle("none-flagged", flaggedNodes.length === 0);

  // ---- counts and filter ---------------------------------------------

  (function renderCounts() {
    counts.textContent = "";
    if (!languages.length) { counts.textContent = "No cues."; return; }
    languages.forEach(function (code, i) {
      if (i) counts.appendChild(document.createTextNode(" \u00b7 "));
      var n = flaggedByLanguage[code] || 0;
      var part = el("span", "count" + (n ? " has-flags" : ""));
      part.appendChild(el("strong", null, String(n)));
      part.appendChild(document.createTextNode(" flagged in " + languageName(code)));
      counts.appendChild(part);
    });
  })();

  var onlyFlagged = false;
  function applyFilter(value) {
    onlyFlagged = value === "flagged";
    rowsBody.classList.toggle("only-flagged", onlyFlagged);
    var flaggedRows = rows.filter(function (r) { return r.flagged; }).length;
    printFilter.textContent = onlyFlagged
      ? "Flagged cues only: " + flaggedRows + " of " + rows.length + " rows."
      : "All cues: " + rows.length + " rows, " + flaggedRows + " with flags.";
  }
  Array.prototype.forEach.call(document.querySelectorAll("input[name=filter]"), function (input) {
    input.addEventListener("change", function () { if (input.checked) applyFilter(input.value); });
    if (input.checked) applyFilter(input.value);
  });

  // ---- scrolling without fighting the reader -------------------------

  var lastUserScroll = 0;
  var ownScrollUntil = 0;

  function userScrolled() { lastUserScroll = Date.now(); }
  window.addEventListener("scroll", function () {
    if (Date.now() > ownScrollUntil) userScrolled();
  }, { passive: true });
  window.addEventListener("scrollend", function () { ownScrollUntil = 0; });
  window.addEventListener("wheel", userScrolled, { passive: true });
  window.addEventListener("touchmove", userScrolled, { passive: true });
  window.addEventListener("keydown", function (event) {
    if (["PageUp", "PageDown", "Home", "End", " "].indexOf(event.key) >= 0) userScrolled();
  });

  var narrow = window.matchMedia ? window.matchMedia("(max-width: 63.99em)") : null;

  // What sticks to the top of the window and hides the rows under it.
  function coveredTop() {
    var top = 0;
    if (narrow && narrow.matches) top = Math.max(0, player.getBoundingClientRect().bottom);
    var thead = head.parentNode;
    var cell = head.firstChild;
    if (cell && getComputedStyle(thead).display !== "none" && getComputedStyle(cell).position === "sticky") {
      top += thead.getBoundingClientRect().height;
    }
    return top;
  }

  function updateStickyHeight() {
    var h = narrow && narrow.matches ? player.getBoundingClientRect().height : 0;
    document.documentElement.style.setProperty("--stuck", Math.round(h) + "px");
  }
  updateStickyHeight();
  if (window.ResizeObserver) new ResizeObserver(updateStickyHeight).observe(player);
  if (narrow) {
    if (narrow.addEventListener) narrow.addEventListener("change", updateStickyHeight);
    else if (narrow.addListener) narrow.addListener(updateStickyHeight);
  }

  // Scrolls the window so that node is in view, unless it already is.
  function reveal(node) {
    var rect = node.getBoundingClientRect();
    if (!rect.height && !rect.width) return;
    var top = coveredTop();
    var bottom = window.innerHeight;
    if (rect.top >= top && rect.bottom <= bottom) return;
    var room = bottom - top;
    var offset = rect.height < room ? (room - rect.height) / 3 : 0;
    ownScrollUntil = Date.now() + 1500;
    window.scrollTo({ top: window.pageYOffset + rect.top - top - offset, behavior: reducedMotion() ? "auto" : "smooth" });
  }

  // ---- playhead ------------------------------------------------------

  var currentRow = null;

  function rowAt(t) {
    var found = null;
    for (var i = 0; i < rows.length; i++) {
      if (rows[i].start > t) break;
      if (t < rows[i].end || (rows[i].end === rows[i].start && t - rows[i].start < 0.5)) found = rows[i];
    }
    return found;
  }

  function showNow(t, row) {
    nowTime.textContent = timecode(t);
    nowCues.textContent = "";
    var playing = row ? row.records.filter(function (r) { return r.start <= t && t < r.end; }) : [];
    if (!playing.length && row) playing = row.records;
    if (!playing.length) {
      nowCues.appendChild(el("p", "quiet", "No cue at this moment."));
      return;
    }
    playing.forEach(function (r) {
      var code = text(r.cue.language);
      var p = el("p", "now-cue" + (r.flagged ? " flagged" : ""));
      p.appendChild(el("span", "lang-tag", code.toUpperCase()));
      var words = el("span", "now-text", text(r.cue.text).replace(/\s*\n\s*/g, " "));
      if (code) words.setAttribute("lang", code);
      p.appendChild(words);
      nowCues.appendChild(p);
    });
  }

  function update(follow) {
    var t = video.currentTime || 0;
    var row = rowAt(t);
    if (row !== currentRow) {
      if (currentRow) {
        currentRow.node.classList.remove("current");
        currentRow.node.removeAttribute("aria-current");
      }
      currentRow = row;
      if (row) {
        row.node.classList.add("current");
        row.node.setAttribute("aria-current", "time");
      }
    }
    cueRecords.forEach(function (r) {
      r.node.classList.toggle("playing", r.row === row && r.start <= t && t < r.end);
    });
    showNow(t, row);
    if (follow && row && !video.paused && Date.now() - lastUserScroll > FOLLOW_PAUSE_MS) {
      if (!(onlyFlagged && !row.flagged)) reveal(row.node);
    }
  }

  video.addEventListener("timeupdate", function () { update(true); });
  video.addEventListener("seeked", function () { update(false); });
  video.addEventListener("play", function () { update(true); });

  function seekAndPlay(t) {
    if (isNaN(t)) return;
    if (!videoOk || video.hidden) {
      // No video to play: still show where the cue falls.
      var row = rowAt(t);
      if (currentRow) { currentRow.node.classList.remove("current"); currentRow.node.removeAttribute("aria-current"); }
      currentRow = row;
      if (row) { row.node.classList.add("current"); row.node.setAttribute("aria-current", "time"); }
      showNow(t, row);
      return;
    }
    try { video.currentTime = Math.max(0, t); } catch (e) { /* not seekable yet */ }
    var playing = video.play();
    if (playing && playing.catch) playing.catch(function () { /* blocked or no media: the seek still stands */ });
  }

  // A click anywhere on a cue plays it, except when the reader is
  // selecting its text to copy it.
  rowsBody.addEventListener("click", function (event) {
    var node = event.target.closest ? event.target.closest(".cue") : null;
    if (!node) return;
    var selection = window.getSelection ? String(window.getSelection()) : "";
    if (selection && event.target.closest(".play") === null) return;
    var record = cueRecords[parseInt(node.getAttribute("data-cue"), 10)];
    if (!record) return;
    var button = node.querySelector(".play");
    if (button && document.activeElement !== button) button.focus({ preventScroll: true });
    seekAndPlay(record.start);
  });

  // ---- keyboard: j/k and arrows between flagged cues ----------------

  function focusCue(node) {
    var button = node.querySelector(".play");
    userScrolled();
    if (button) button.focus({ preventScroll: true });
    reveal(node);
  }

  function moveFlagged(step) {
    if (!flaggedNodes.length) return;
    var active = document.activeElement;
    var from = active && active.closest ? active.closest(".cue") : null;
    var target = null;
    var i;
    if (from) {
      var at = flaggedNodes.indexOf(from);
      if (at >= 0) {
        target = flaggedNodes[at + step] || null;
      } else {
        for (i = 0; i < flaggedNodes.length; i++) {
          var after = from.compareDocumentPosition(flaggedNodes[i]) & Node.DOCUMENT_POSITION_FOLLOWING;
          if (after) { target = step > 0 ? flaggedNodes[i] : flaggedNodes[i - 1] || null; break; }
        }
        if (i === flaggedNodes.length && step < 0) target = flaggedNodes[flaggedNodes.length - 1];
      }
    } else {
      // Nothing picked yet: start from what is on screen.
      var top = coveredTop();
      for (i = 0; i < flaggedNodes.length; i++) {
        if (flaggedNodes[i].getBoundingClientRect().top >= top - 1) break;
      }
      target = step > 0 ? flaggedNodes[i] || null : flaggedNodes[i - 1] || null;
    }
    if (target) focusCue(target);
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    var target = event.target;
    var tag = target && target.tagName;
    if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA" || tag === "VIDEO" || (target && target.isContentEditable)) return;
    var key = event.key;
    var onCue = target && target.closest && target.closest(".cue");
    if (key === "j" || key === "J" || (key === "ArrowDown" && (onCue || target === document.body))) {
      moveFlagged(1);
      event.preventDefault();
    } else if (key === "k" || key === "K" || (key === "ArrowUp" && (onCue || target === document.body))) {
      moveFlagged(-1);
      event.preventDefault();
    }
  });

  update(false);
})();
