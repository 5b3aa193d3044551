// The module player, for a trainer in a room: one step at a time, captions
// drawn over the picture from data embedded in the page (nothing is fetched,
// so it works from file:// with no network), the player itself full screen
// with its captions, a presenter window that drives this one, and one
// keyboard model whatever has the focus: PageDown/PageUp (a clicker) and the
// arrows change step, Space plays and pauses, F is full screen, Esc leaves.
// Reports completion to a SCORM 1.2 LMS when one is present.
(function () {
  "use strict";
  var data = window.CONFKIT;
  var ui = data.ui;
  var player = document.getElementById("player");
  var steps = Array.prototype.slice.call(document.querySelectorAll("#steps > .step"));
  var presenter = location.hash === "#presenter";
  var current = -1;
  var stepStarted = Date.now();
  var captionMode = localStorage_get("captions") || data.lang;
  var speed = 1;
  if (presenter) document.documentElement.classList.add("presenter-view");

  function localStorage_get(key) {
    try { return window.localStorage.getItem("confkit." + key); } catch (e) { return null; }
  }
  function localStorage_set(key, value) {
    try { window.localStorage.setItem("confkit." + key, value); } catch (e) { /* private mode, file:// */ }
  }

  function clock(seconds) {
    seconds = Math.max(0, Math.floor(seconds || 0));
    var m = Math.floor(seconds / 60), s = seconds % 60;
    if (m >= 60) return Math.floor(m / 60) + ":" + pad(m % 60) + ":" + pad(s);
    return m + ":" + pad(s);
  }
  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function videoOf(index) {
    return steps[index] ? steps[index].querySelector("video") : null;
  }

  // --- Captions ---------------------------------------------------------

  function languagesShown() {
    if (captionMode === "off") return [];
    if (captionMode === "both") return data.languages.slice();
    return data.languages.indexOf(captionMode) >= 0 ? [captionMode] : [data.lang];
  }

  function cueAt(index, language, t) {
    var cues = (data.steps[index].cues || {})[language] || [];
    for (var i = 0; i < cues.length; i++) {
      if (cues[i][0] <= t && t < cues[i][1]) return i;
    }
    return -1;
  }

  function render(index) {
    var step = steps[index];
    var video = videoOf(index);
    if (!video) return;
    var t = video.currentTime;
    var box = step.querySelector(".captions");
    box.textContent = "";
    languagesShown().forEach(function (language) {
      var i = cueAt(index, language, t);
      if (i < 0) return;
      var line = document.createElement("p");
      line.lang = language;
      line.className = "caption caption-" + language;
      line.textContent = data.steps[index].cues[language][i][2];
      box.appendChild(line);
    });
    var items = step.querySelectorAll(".transcript li");
    var now = cueAt(index, transcriptLanguage(), t);
    for (var k = 0; k < items.length; k++) {
      var on = k === now;
      items[k].classList.toggle("current", on);
      if (on) items[k].setAttribute("aria-current", "true"); else items[k].removeAttribute("aria-current");
    }
    var bar = step.querySelector(".vbar");
    var duration = isFinite(video.duration) ? video.duration : data.steps[index].seconds || 0;
    bar.querySelector(".time").textContent = clock(t) + " / " + clock(duration);
    var seek = bar.querySelector(".seek");
    if (!seek.matches(":active")) seek.value = duration ? Math.round(1000 * t / duration) : 0;
    var play = bar.querySelector(".play");
    play.textContent = video.paused ? "▶" : "❚❚";
    play.setAttribute("aria-label", video.paused ? ui.play : ui.pause);
  }

  function transcriptLanguage() {
    var shown = languagesShown();
    return shown.length ? shown[0] : data.lang;
  }

  function fillTranscript(index) {
    var step = steps[index];
    var list = step.querySelector(".transcript ol");
    if (!list) return;
    var language = transcriptLanguage();
    var cues = (data.steps[index].cues || {})[language] || [];
    list.textContent = "";
    list.lang = language;
    cues.forEach(function (cue) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      var at = document.createElement("span");
      at.className = "at";
      at.textContent = clock(cue[0]);
      button.appendChild(at);
      button.appendChild(document.createTextNode(" " + cue[2]));
      button.addEventListener("click", function () { seekTo(index, cue[0] + 0.01); });
      item.appendChild(button);
      list.appendChild(item);
    });
  }

  // Native full screen of the video alone (a phone's only kind) shows text
  // tracks, not the layer above: the tracks carry the same captions.
  function textTracks(index) {
    var video = videoOf(index);
    if (!video) return;
    var made = {};
    Array.prototype.forEach.call(video.querySelectorAll("track"), function (element) {
      element.addEventListener("error", function () { scriptedTrack(video, index, element.srclang, element.label); });
      if (element.track) element.track.mode = "hidden";
      made[element.srclang] = true;
    });
    data.languages.forEach(function (language) {
      if (!made[language] && (data.steps[index].cues || {})[language]) scriptedTrack(video, index, language, ui.language_names[language]);
    });
  }

  // A track made from the embedded cues, where the `<track>` file cannot be
  // read (browsers refuse track files under file://).
  function scriptedTrack(video, index, language, label) {
    if (!video.addTextTrack || typeof VTTCue === "undefined") return;
    for (var i = 0; i < video.textTracks.length; i++) {
      var existing = video.textTracks[i];
      if (existing.language === language && existing.scripted) return;
    }
    var track = video.addTextTrack("subtitles", label, language);
    track.scripted = true;
    ((data.steps[index].cues || {})[language] || []).forEach(function (cue) {
      track.addCue(new VTTCue(cue[0], cue[1], cue[2]));
    });
    track.mode = "hidden";
  }

  function nativeTracks(video, showing) {
    var shown = languagesShown();
    var seen = {};
    for (var i = 0; i < video.textTracks.length; i++) {
      var track = video.textTracks[i];
      var on = showing && shown.indexOf(track.language) >= 0 && !seen[track.language] && track.cues && track.cues.length > 0;
      if (on) seen[track.language] = true;
      track.mode = on ? "showing" : "hidden";
    }
  }

  // --- Menus (captions, speed) -----------------------------------------

  function menu(button, choices, chosen, choose) {
    var open = button.parentNode.querySelector(".menu");
    if (open) { closeMenus(); return; }
    closeMenus();
    var list = document.createElement("ul");
    list.className = "menu";
    list.setAttribute("role", "menu");
    choices.forEach(function (choice) {
      var item = document.createElement("li");
      item.setAttribute("role", "none");
      var b = document.createElement("button");
      b.type = "button";
      b.setAttribute("role", "menuitemradio");
      b.dataset.value = String(choice[0]);
      b.setAttribute("aria-checked", String(choice[0] === chosen()));
      b.textContent = choice[1];
      b.addEventListener("click", function () { choose(choice[0]); closeMenus(); button.focus(); });
      item.appendChild(b);
      list.appendChild(item);
    });
    button.setAttribute("aria-expanded", "true");
    button.parentNode.appendChild(list);
    var first = list.querySelector("[aria-checked=true]") || list.querySelector("button");
    first.focus();
  }

  function closeMenus() {
    Array.prototype.forEach.call(document.querySelectorAll(".menu"), function (m) {
      var owner = m.parentNode.querySelector("[aria-expanded]");
      if (owner) owner.setAttribute("aria-expanded", "false");
      m.parentNode.removeChild(m);
    });
  }

  function captionChoices() {
    var choices = data.languages.map(function (l) { return [l, ui.language_names[l]]; });
    if (data.languages.length > 1) choices.push(["both", ui.both]);
    choices.push(["off", ui.off]);
    return choices;
  }

  function setCaptions(mode) {
    captionMode = mode;
    localStorage_set("captions", mode);
    if (current >= 0) {
      fillTranscript(current);
      render(current);
    }
    Array.prototype.forEach.call(document.querySelectorAll(".cc"), function (b) {
      b.setAttribute("aria-pressed", String(mode !== "off"));
    });
    send({ captions: mode });
  }

  function setSpeed(rate) {
    speed = rate;
    steps.forEach(function (step, i) {
      var video = videoOf(i);
      if (video) video.playbackRate = rate;
    });
    Array.prototype.forEach.call(document.querySelectorAll(".speed"), function (b) {
      b.querySelector(".rate").textContent = String(rate).replace(".", data.lang === "fr" ? "," : ".") + "×";
    });
  }

  // --- Steps ------------------------------------------------------------

  function show(index, quiet) {
    if (index < 0 || index >= steps.length) return;
    if (index !== current) stepStarted = Date.now();
    steps.forEach(function (step, i) {
      step.hidden = i !== index;
      var video = videoOf(i);
      if (video && i !== index) video.pause();
    });
    current = index;
    document.getElementById("position").textContent = ui.step_of.replace("{n}", index + 1).replace("{total}", steps.length);
    var progress = document.getElementById("progress");
    progress.value = index + 1;
    progress.max = steps.length;
    document.getElementById("previous").disabled = index === 0;
    document.getElementById("next").disabled = index === steps.length - 1;
    Array.prototype.forEach.call(document.querySelectorAll("#agenda li"), function (li, i) {
      if (i === index) li.setAttribute("aria-current", "step"); else li.removeAttribute("aria-current");
    });
    var following = document.getElementById("following");
    if (following) {
      var next = steps[index + 1];
      following.textContent = next ? next.querySelector("h2").textContent : ui.end;
    }
    var nextModule = document.getElementById("next-module");
    // Under a platform, its own navigation moves on to the next module.
    if (nextModule) nextModule.hidden = index !== steps.length - 1 || scorm.connected;
    fillTranscript(index);
    textTracks(index);
    render(index);
    tick();
    if (window.history && history.replaceState && !presenter) {
      // Not `#step-N`: a fragment naming an element would scroll the page to it.
      try { history.replaceState(null, "", "#step=" + (index + 1)); } catch (e) { /* some file:// hosts */ }
    }
    scorm.place(index);
    if (index === steps.length - 1) scorm.complete();
    if (!quiet) send({ state: state() });
  }

  function seekTo(index, seconds) {
    show(index);
    var video = videoOf(index);
    if (!video) return;
    var go = function () { video.currentTime = seconds; render(index); };
    if (video.readyState >= 1) go(); else video.addEventListener("loadedmetadata", go, { once: true });
  }

  function toggle() {
    var video = videoOf(current);
    if (!video) return;
    if (video.paused) {
      var played = video.play();
      if (played && played.catch) played.catch(function () { /* refused without a gesture */ });
    } else video.pause();
  }

  // The step timer: how long this step has run, against its planned time.
  function tick() {
    var timer = document.getElementById("timer");
    if (!timer || current < 0) return;
    var elapsed = (Date.now() - stepStarted) / 1000;
    var planned = data.steps[current].seconds || 0;
    timer.textContent = clock(elapsed) + (planned ? " / " + clock(planned) : "");
    timer.classList.toggle("over", planned > 0 && elapsed > planned);
  }
  setInterval(tick, 1000);

  // --- Full screen ------------------------------------------------------

  function fullscreenElement() {
    return document.fullscreenElement || document.webkitFullscreenElement || null;
  }

  function fullscreen() {
    if (fullscreenElement()) { leaveFullscreen(); return; }
    var request = player.requestFullscreen || player.webkitRequestFullscreen;
    if (request) {
      var result = request.call(player);
      if (result && result.catch) result.catch(function () { /* refused without a gesture */ });
      return;
    }
    // A phone that puts only a video full screen: its text tracks show.
    var video = videoOf(current);
    if (video && video.webkitEnterFullscreen) {
      nativeTracks(video, true);
      video.webkitEnterFullscreen();
    }
  }

  function leaveFullscreen() {
    if (!fullscreenElement()) return;
    (document.exitFullscreen || document.webkitExitFullscreen).call(document);
  }

  function onFullscreenChange() {
    var element = fullscreenElement();
    document.documentElement.classList.toggle("is-fullscreen", element === player);
    Array.prototype.forEach.call(document.querySelectorAll(".full"), function (b) {
      b.setAttribute("aria-label", element ? ui.exit_fullscreen : ui.fullscreen);
      b.setAttribute("aria-pressed", String(Boolean(element)));
    });
    // The video alone full screen (however it got there): show its tracks.
    steps.forEach(function (step, i) {
      var video = videoOf(i);
      if (video) nativeTracks(video, element === video);
    });
  }
  document.addEventListener("fullscreenchange", onFullscreenChange);
  document.addEventListener("webkitfullscreenchange", onFullscreenChange);

  // --- Notes ------------------------------------------------------------

  var notes = document.getElementById("notes");
  var notesToggle = document.getElementById("notes-toggle");
  function setNotes(visible) {
    if (!notes) return;
    notes.hidden = !visible;
    notesToggle.setAttribute("aria-pressed", String(visible));
  }
  if (!notes) notesToggle.hidden = true;
  else setNotes(presenter);
  var printNotes = document.getElementById("print-notes");
  if (printNotes) {
    printNotes.addEventListener("change", function () {
      document.documentElement.classList.toggle("print-notes", printNotes.checked);
    });
  }

  // --- Presenter and audience windows -----------------------------------
  // The window opened with #presenter drives the one that opened it. They
  // talk through postMessage, which works between file:// windows, and a
  // BroadcastChannel where the browser shares one between them.

  var self = Math.random().toString(36).slice(2);
  var seen = {};
  var sequence = 0;
  var peer = presenter ? window.opener : null;
  var channel = null;
  try { channel = new BroadcastChannel("confkit:" + data.module); } catch (e) { channel = null; }

  function state() {
    var video = videoOf(current);
    return {
      step: current,
      time: video ? video.currentTime : 0,
      playing: video ? !video.paused : false,
      started: stepStarted
    };
  }

  function send(message) {
    message.from = self;
    message.seq = ++sequence;
    message.module = data.module;
    if (peer && !peer.closed) {
      try { peer.postMessage(message, "*"); } catch (e) { peer = null; }
    }
    if (channel) channel.postMessage(message);
  }

  function receive(message, source) {
    if (!message || message.module !== data.module || message.from === self) return;
    var key = message.from + ":" + message.seq;
    if (seen[key]) return;
    seen[key] = true;
    if (source && !peer) peer = source;
    if (message.hello && !presenter) {
      document.documentElement.classList.add("audience-view");
      setNotes(false);
      send({ state: state() });
      send({ captions: captionMode });
    }
    if (message.command && !presenter) {
      var c = message.command;
      if (c.go !== undefined) show(c.go);
      if (c.toggle) toggle();
    }
    if (message.state && presenter) {
      var s = message.state;
      if (s.step !== current) show(s.step, true);
      stepStarted = s.started;
      var video = videoOf(current);
      if (video) {
        if (Math.abs(video.currentTime - s.time) > 0.5) video.currentTime = s.time;
        render(current);
        var play = steps[current].querySelector(".play");
        play.textContent = s.playing ? "❚❚" : "▶";
      }
      tick();
    }
    if (message.captions && message.captions !== captionMode) {
      captionMode = message.captions;
      fillTranscript(current);
      render(current);
    }
  }
  window.addEventListener("message", function (event) { receive(event.data, event.source); });
  if (channel) channel.onmessage = function (event) { receive(event.data, null); };

  function openPresenter() {
    var url = location.href.split("#")[0] + "#presenter";
    var opened = window.open(url, "confkit-presenter-" + data.module, "popup,width=1000,height=720");
    if (!opened) return;
    peer = opened;
    document.documentElement.classList.add("audience-view");
    setNotes(false);
  }

  // In the presenter window, the keys and buttons drive the audience's.
  function go(index) {
    if (presenter) send({ command: { go: Math.max(0, Math.min(steps.length - 1, index)) } });
    else show(index);
  }
  function playPause() {
    if (presenter) send({ command: { toggle: true } });
    else toggle();
  }

  // The audience window says where it is while a video plays.
  steps.forEach(function (step, i) {
    var video = videoOf(i);
    if (!video) return;
    video.addEventListener("timeupdate", function () { render(i); });
    video.addEventListener("seeked", function () { render(i); if (!presenter) send({ state: state() }); });
    video.addEventListener("play", function () { render(i); if (!presenter) send({ state: state() }); });
    video.addEventListener("pause", function () { render(i); if (!presenter) send({ state: state() }); });
    video.addEventListener("click", playPause);
    video.addEventListener("dblclick", fullscreen);
    if (presenter) video.muted = true;
    video.playbackRate = speed;
    var bar = step.querySelector(".vbar");
    bar.querySelector(".play").addEventListener("click", playPause);
    var seek = bar.querySelector(".seek");
    seek.addEventListener("input", function () {
      var duration = isFinite(video.duration) ? video.duration : 0;
      if (duration) video.currentTime = duration * seek.value / 1000;
    });
    bar.querySelector(".cc").addEventListener("click", function (event) {
      menu(event.currentTarget, captionChoices(), function () { return captionMode; }, setCaptions);
    });
    bar.querySelector(".speed").addEventListener("click", function (event) {
      var rates = [0.75, 1, 1.25, 1.5];
      menu(event.currentTarget, rates.map(function (r) { return [r, String(r).replace(".", data.lang === "fr" ? "," : ".") + "×"]; }),
        function () { return speed; }, setSpeed);
    });
    bar.querySelector(".full").addEventListener("click", fullscreen);
  });
  setInterval(function () {
    var video = videoOf(current);
    if (!presenter && video && !video.paused) send({ state: state() });
  }, 1000);

  document.getElementById("previous").addEventListener("click", function () { go(current - 1); });
  document.getElementById("next").addEventListener("click", function () { go(current + 1); });
  if (notesToggle) notesToggle.addEventListener("click", function () { setNotes(notes.hidden); });
  var presenterButton = document.getElementById("presenter-open");
  if (presenterButton) presenterButton.addEventListener("click", openPresenter);
  var fullButton = document.getElementById("fullscreen");
  if (fullButton) fullButton.addEventListener("click", fullscreen);

  // A button clicked with the mouse lets go of the focus: the next Space
  // or PageDown is the presenter's, not the button's.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button");
    if (button && event.detail > 0 && !button.closest(".menu") && button.getAttribute("aria-expanded") !== "true") button.blur();
    if (!event.target.closest || !event.target.closest(".menu, .cc, .speed")) closeMenus();
  });

  // One keyboard model, whatever has the focus (but a text field, and a
  // menu, which its arrows move through).
  function typing(target) {
    if (!target || !target.tagName) return false;
    if (target.isContentEditable || target.tagName === "TEXTAREA") return true;
    return target.tagName === "INPUT" && /^(text|search|email|number|password|url|tel)$/.test(target.type || "text");
  }
  function inMenu(target) {
    return target && target.closest && target.closest(".menu");
  }
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) return;
    var key = event.key;
    if (inMenu(event.target)) {
      var items = Array.prototype.slice.call(inMenu(event.target).querySelectorAll("button"));
      var at = items.indexOf(event.target);
      if (key === "ArrowDown" || key === "ArrowUp") {
        items[(at + (key === "ArrowDown" ? 1 : items.length - 1)) % items.length].focus();
        event.preventDefault();
        return;
      }
      if (key === "Escape") { closeMenus(); event.preventDefault(); return; }
      if (key === "Enter" || key === " ") return;
    }
    if (key === "PageDown" || key === "ArrowRight" || key === "ArrowDown") { closeMenus(); go(current + 1); }
    else if (key === "PageUp" || key === "ArrowLeft" || key === "ArrowUp") { closeMenus(); go(current - 1); }
    else if (key === " " || key === "Spacebar" || key === "k" || key === "K") playPause();
    // A browser puts a window full screen only on a gesture in that window:
    // the room's window is put full screen from its own keyboard or button.
    else if ((key === "f" || key === "F") && !presenter) fullscreen();
    else if (key === "Home") go(0);
    else if (key === "End") go(steps.length - 1);
    else if (key === "Escape") { closeMenus(); leaveFullscreen(); return; }
    else return;
    event.preventDefault();
    event.stopPropagation();
  }, true);
  // A focused button would act on Space's keyup too.
  document.addEventListener("keyup", function (event) {
    if ((event.key === " " || event.key === "Spacebar") && !typing(event.target) && !inMenu(event.target)) event.preventDefault();
  }, true);

  // A handout shows what the page folds away.
  window.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll("details.about"), function (d) { d.open = true; });
  });

  // A media file missing from the folder (a part of a split package left
  // packed) is said over the picture, not left as a black box.
  steps.forEach(function (step) {
    var source = step.querySelector("video source");
    if (!source) return;
    source.addEventListener("error", function () {
      var stage = step.querySelector(".stage");
      if (!stage || stage.querySelector(".missing")) return;
      var note = document.createElement("p");
      note.className = "missing";
      note.setAttribute("role", "alert");
      note.textContent = ui.media_missing;
      stage.appendChild(note);
    });
  });

  // SCORM 1.2, when a learning platform launched this module as one of its
  // SCOs. Its API object is found the standard way: up this window's
  // parents, then up its opener's. What the platform already knows (the
  // status, the step reached) is read before anything is written; the
  // status is never lowered; the session is committed and finished once,
  // when the page goes. With no platform, none of this runs.
  var scorm = (function () {
    var none = { connected: false, resume: 0, place: function () {}, complete: function () {} };
    function find(win) {
      for (var n = 0; win && n < 16; n++) {
        if (win.API) return win.API;
        if (!win.parent || win.parent === win) return null;
        win = win.parent;
      }
      return null;
    }
    var api = null;
    try { api = find(window) || (window.opener ? find(window.opener) : null); } catch (e) { api = null; }
    // A platform in another origin, or one that refuses a second session
    // in the same window (the page reached from another module's page):
    // the module plays untracked.
    if (!api || presenter) return none;
    try { if (String(api.LMSInitialize("")) !== "true") return none; } catch (e) { return none; }
    function get(name) { try { return String(api.LMSGetValue(name) || ""); } catch (e) { return ""; } }
    function set(name, value) { try { api.LMSSetValue(name, value); } catch (e) { /* the platform logs it */ } }
    var status = get("cmi.core.lesson_status");
    var mode = get("cmi.core.lesson_mode") || "normal";
    var reached = /^step=(\d+)$/.exec(get("cmi.core.lesson_location"));
    var done = ["completed", "passed", "failed"].indexOf(status) >= 0;
    var writes = mode !== "review";
    if (writes && (status === "" || status === "not attempted")) {
      set("cmi.core.lesson_status", mode === "browse" ? "browsed" : "incomplete");
    }
    var opened = Date.now();
    var finished = false;
    function finish() {
      if (finished) return;
      finished = true;
      if (writes) {
        set("cmi.core.session_time", timespan(Date.now() - opened));
        set("cmi.core.exit", done ? "" : "suspend");
      }
      try { api.LMSCommit(""); api.LMSFinish(""); } catch (e) { /* the page is going */ }
    }
    window.addEventListener("pagehide", finish);
    window.addEventListener("beforeunload", finish);
    return {
      connected: true,
      resume: reached ? Number(reached[1]) : 0,
      place: function (index) {
        if (writes && !finished) set("cmi.core.lesson_location", "step=" + (index + 1));
      },
      complete: function () {
        if (done || finished || !writes || mode === "browse") return;
        done = true;
        set("cmi.core.lesson_status", "completed");
      }
    };
  })();

  // SCORM 1.2's CMITimespan: HHHH:MM:SS.SS.
  function timespan(ms) {
    var s = Math.max(0, ms) / 1000;
    var h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60;
    return pad(h) + ":" + pad(m) + ":" + pad(Math.floor(s % 60)) + "." + pad(Math.floor((s * 100) % 100));
  }

  // Where to start: a step (#step=3), or a clip at a time (#clip=id&t=12.5,
  // what a search result opens).
  function start() {
    var hash = decodeURIComponent(location.hash.slice(1));
    var step = /^step[-=](\d+)$/.exec(hash);
    if (step) { show(Math.min(steps.length, Number(step[1])) - 1); return; }
    var clip = /(?:^|&)clip=([^&]+)/.exec(hash);
    if (clip) {
      var time = Number((/(?:^|&)t=([\d.]+)/.exec(hash) || [0, 0])[1]);
      for (var i = 0; i < steps.length; i++) {
        if (data.steps[i].clip === clip[1]) { seekTo(i, time); return; }
      }
    }
    show(Math.min(steps.length, Math.max(1, scorm.resume)) - 1);
  }
  setCaptions(captionMode);
  start();
  if (presenter) send({ hello: true });
})();
