// searchfic: small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Filters that change the result set take effect at once.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () {
      if (select.form) select.form.requestSubmit ? select.form.requestSubmit() : select.form.submit();
    });
  });

  // Keep shared URLs short: leave empty fields and default choices out of the query.
  document.querySelectorAll("form[role=search]").forEach(function (form) {
    form.addEventListener("submit", function () {
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!el.name || el.disabled) return;
        var dflt = el.getAttribute("data-default");
        if (el.value === "" || (dflt !== null && el.value === dflt)) {
          el.disabled = true;
          // Re-enable after the navigation starts, so Back shows the form as it was.
          setTimeout(function () { el.disabled = false; }, 0);
        }
      });
    });
  });

  // "/" jumps to the search box, as on most search sites.
  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    var box = document.querySelector("input[type=search]");
    if (box) { e.preventDefault(); box.focus(); box.select(); }
  });

  // On narrow screens the filter sidebar starts folded.
  var facets = document.querySelector(".facets-toggle");
  if (facets && window.matchMedia("(max-width: 820px)").matches) facets.open = false;

  // Story reader: "match k of n", previous/next, and the n / p keys.
  var bar = document.getElementById("match-bar");
  var marks = Array.prototype.slice.call(document.querySelectorAll("#story-text mark.hit"));
  if (!bar || marks.length === 0) return;
  var status = document.getElementById("match-status");
  var prev = document.getElementById("match-prev");
  var next = document.getElementById("match-next");
  var current = -1;

  function show(i, scroll) {
    var n = marks.length;
    i = ((i % n) + n) % n;
    if (current >= 0) marks[current].classList.remove("current");
    current = i;
    var mark = marks[i];
    mark.classList.add("current");
    status.textContent = "Match " + (i + 1) + " of " + n;
    prev.setAttribute("href", "#" + marks[(i - 1 + n) % n].id);
    next.setAttribute("href", "#" + marks[(i + 1) % n].id);
    if (scroll) {
      mark.scrollIntoView({ block: "center" });
      history.replaceState(null, "", "#" + mark.id);
    }
  }

  function indexOfHash() {
    var id = decodeURIComponent(location.hash.slice(1));
    for (var i = 0; i < marks.length; i++) if (marks[i].id === id) return i;
    return -1;
  }

  function step(d) { show(current < 0 ? (d > 0 ? 0 : marks.length - 1) : current + d, true); }

  prev.addEventListener("click", function (e) { e.preventDefault(); step(-1); });
  next.addEventListener("click", function (e) { e.preventDefault(); step(1); });
  window.addEventListener("hashchange", function () {
    var i = indexOfHash();
    if (i >= 0) show(i, false);
  });
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    if (e.key === "n") { e.preventDefault(); step(1); }
    else if (e.key === "p") { e.preventDefault(); step(-1); }
  });

  var start = indexOfHash();
  if (start >= 0) show(start, true);
  else {
    status.textContent = marks.length + (marks.length === 1 ? " match" : " matches") + ": press n for the first";
    prev.setAttribute("href", "#" + marks[marks.length - 1].id);
    next.setAttribute("href", "#" + marks[0].id);
  }
})();
