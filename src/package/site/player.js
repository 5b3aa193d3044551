// The module player: one step at a time, captions drawn over the video from
// data embedded in the page (no request for local files, so it works from
// file:// with no network), an interactive transcript, trainer notes that
// can be hidden, presenter mode and keyboard control. Reports completion to
// a SCORM 1.2 LMS when one is present.
(function () {
  "use strict";
  var data = window.CONFKIT;
  var steps = Array.prototype.slice.call(document.querySelectorAll("#steps > .step"));
  var current = 0;
  var mode = document.getElementById("subtitles").value;

  function languagesShown() {
    if (mode === "off") return [];
    if (mode === "both") return data.languages.slice();
    return [mode];
  }

  function cuesAt(step, language, t) {
    var cues = (data.steps[step].cues || {})[language] || [];
    for (var i = 0; i < cues.length; i++) {
      if (cues[i][0] <= t && t < cues[i][1]) return i;
    }
    return -1;
  }

  function render(stepIndex) {
    var step = steps[stepIndex];
    var video = step.querySelector("video");
    if (!video) return;
    var t = video.currentTime;
    var box = step.querySelector(".captions");
    box.textContent = "";
    languagesShown().forEach(function (language) {
      var i = cuesAt(stepIndex, language, t);
      if (i < 0) return;
      var line = document.createElement("p");
      line.lang = language;
      line.className = "caption caption-" + language;
      line.textContent = data.steps[stepIndex].cues[language][i][2];
      box.appendChild(line);
    });
    var items = step.querySelectorAll(".transcript li");
    var language = transcriptLanguage();
    var now = cuesAt(stepIndex, language, t);
    for (var k = 0; k < items.length; k++) {
      var on = k === now;
      items[k].classList.toggle("current", on);
      if (on) items[k].setAttribute("aria-current", "true"); else items[k].removeAttribute("aria-current");
    }
  }

  function transcriptLanguage() {
    var shown = languagesShown();
    return shown.length ? shown[0] : data.lang;
  }

  function fillTranscript(stepIndex) {
    var step = steps[stepIndex];
    var list = step.querySelector(".transcript ol");
    if (!list) return;
    var language = transcriptLanguage();
    var cues = (data.steps[stepIndex].cues || {})[language] || [];
    list.textContent = "";
    list.lang = language;
    cues.forEach(function (cue) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = cue[2];
      button.addEventListener("click", function () {
        var video = step.querySelector("video");
        video.currentTime = cue[0] + 0.01;
        render(stepIndex);
      });
      item.appendChild(button);
      list.appendChild(item);
    });
  }

  function show(index) {
    if (index < 0 || index >= steps.length) return;
    steps.forEach(function (step, i) {
      step.hidden = i !== index;
      var video = step.querySelector("video");
      if (video && i !== index) video.pause();
    });
    current = index;
    document.getElementById("position").textContent = (index + 1) + " / " + steps.length;
    document.getElementById("previous").disabled = index === 0;
    document.getElementById("next").disabled = index === steps.length - 1;
    fillTranscript(index);
    render(index);
    if (index === steps.length - 1) scorm.complete();
  }

  steps.forEach(function (step, i) {
    var video = step.querySelector("video");
    if (!video) return;
    video.addEventListener("timeupdate", function () { render(i); });
    video.addEventListener("seeked", function () { render(i); });
  });

  document.getElementById("previous").addEventListener("click", function () { show(current - 1); });
  document.getElementById("next").addEventListener("click", function () { show(current + 1); });
  document.getElementById("subtitles").addEventListener("change", function (event) {
    mode = event.target.value;
    fillTranscript(current);
    render(current);
  });
  var notesToggle = document.getElementById("notes-toggle");
  var notes = document.getElementById("notes");
  if (!notes) notesToggle.hidden = true;
  notesToggle.addEventListener("click", function () {
    var hide = !notes.hidden;
    notes.hidden = hide;
    notesToggle.setAttribute("aria-pressed", hide ? "false" : "true");
    notesToggle.textContent = hide ? data.ui.show_notes : data.ui.hide_notes;
  });
  function present() {
    var player = document.getElementById("player");
    if (document.fullscreenElement) document.exitFullscreen();
    else if (player.requestFullscreen) player.requestFullscreen();
  }
  document.getElementById("present").addEventListener("click", present);

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (target && (target.tagName === "SELECT" || target.tagName === "INPUT" || target.tagName === "TEXTAREA")) return;
    var video = steps[current].querySelector("video");
    if (event.key === "ArrowRight" || event.key === "PageDown") { show(current + 1); event.preventDefault(); }
    else if (event.key === "ArrowLeft" || event.key === "PageUp") { show(current - 1); event.preventDefault(); }
    else if (event.key === " " && video && target.tagName !== "BUTTON" && target.tagName !== "VIDEO") {
      if (video.paused) video.play(); else video.pause();
      event.preventDefault();
    }
    else if (event.key === "f" || event.key === "F") { present(); }
  });

  // SCORM 1.2: the LMS's API object is on a parent window, when there is one.
  var scorm = (function () {
    var api = null;
    try {
      for (var w = window, n = 0; w && n < 10; n++) {
        if (w.API) { api = w.API; break; }
        if (w.parent === w) break;
        w = w.parent;
      }
      if (!api && window.opener && window.opener.API) api = window.opener.API;
    } catch (e) { api = null; }
    var done = false;
    if (api) {
      api.LMSInitialize("");
      api.LMSSetValue("cmi.core.lesson_status", "incomplete");
      window.addEventListener("beforeunload", function () { api.LMSCommit(""); api.LMSFinish(""); });
    }
    return {
      complete: function () {
        if (!api || done) return;
        done = true;
        api.LMSSetValue("cmi.core.lesson_status", "completed");
        api.LMSCommit("");
      }
    };
  })();

  show(0);
})();
