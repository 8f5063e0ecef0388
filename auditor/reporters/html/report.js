// The report's only script: filters by severity and check, expand/collapse, opening the
// section an address names (report.html#p-3), and, in a large report, unpacking a page's
// text when it is opened. The only markup it inserts is the report's own, made in Python
// with every piece of page text escaped, so nothing a page says can become code.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var pages = Array.prototype.slice.call(document.querySelectorAll("details.page"));

  // A large report keeps a page's text, chart and skeleton packed (gzip, base64) in an inert
  // <script type="application/x-auditor-page+gzip+base64"> holder: markup the report made, page
  // text already escaped. It is unpacked and put in place when the page is opened.
  function unpack(packed) {
    var bytes = Uint8Array.from(atob(packed), function (c) { return c.charCodeAt(0); });
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text();
  }

  function fill(page) {
    var slot = page.querySelector("div.lazy[data-src]");
    if (!slot) return Promise.resolve();
    var holder = document.getElementById(slot.getAttribute("data-src"));
    slot.removeAttribute("data-src");
    if (!holder) return Promise.resolve();
    if (typeof DecompressionStream === "undefined") {
      slot.textContent = "This browser cannot unpack the page's text (it lacks DecompressionStream).";
      return Promise.resolve();
    }
    slot.textContent = "Unpacking…";
    return unpack(holder.textContent.trim()).then(function (html) {
      slot.innerHTML = html;
    });
  }

  document.addEventListener("toggle", function (event) {
    if (event.target.classList && event.target.classList.contains("page") && event.target.open) fill(event.target);
  }, true);

  function openTarget() {
    var id;
    try {
      id = decodeURIComponent(location.hash.slice(1));
    } catch (error) {
      return;
    }
    if (!id) return;
    var page = document.getElementById(id.replace(/-f\d+$/, ""));
    var ready = Promise.resolve();
    if (page && page.tagName === "DETAILS") {
      page.open = true;
      ready = fill(page);
    }
    ready.then(function () {
      var el = document.getElementById(id);
      if (!el) return;
      for (var node = el; node; node = node.parentElement) {
        if (node.tagName === "DETAILS") node.open = true;
      }
      el.scrollIntoView();
    });
  }

  function apply() {
    var off = {};
    form.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      if (!box.checked) off[box.name + ":" + box.value] = true;
    });
    function hides(el) {
      return off["sev:" + el.getAttribute("data-sev")] || off["check:" + el.getAttribute("data-check")];
    }
    var shown = 0;
    var hiddenPages = {};
    pages.forEach(function (page) {
      var visible = 0;
      page.querySelectorAll("tr.f").forEach(function (row) {
        row.hidden = !!hides(row);
        if (!row.hidden) visible += 1;
      });
      page.hidden = visible === 0;
      if (page.hidden) hiddenPages[page.id] = true; else shown += 1;
    });
    document.querySelectorAll("details.grp").forEach(function (group) {
      group.hidden = !!hides(group);
    });
    document.querySelectorAll("tr[data-page]").forEach(function (row) {
      row.hidden = !!hiddenPages[row.getAttribute("data-page")];
    });
    document.getElementById("shown").textContent = shown + " of " + pages.length + " pages shown";
  }

  if (form) {
    form.hidden = false;
    form.addEventListener("change", apply);
    form.addEventListener("click", function (event) {
      var act = event.target.getAttribute && event.target.getAttribute("data-act");
      if (!act) return;
      pages.forEach(function (page) {
        if (!page.hidden) page.open = act === "open";
      });
    });
    apply();
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();
})();
