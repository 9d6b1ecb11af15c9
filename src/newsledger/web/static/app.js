// newsledger: a tooltip for highlighted spans on hover and keyboard focus (the title attribute is
// the no-JS fallback), and script-toggle links that keep the reader's scroll position.
(function () {
  var tip = document.getElementById("tip");
  if (!tip) return;
  var sel = "[data-tip]";
  function show(el) {
    tip.textContent = el.getAttribute("data-tip");  // textContent: never parsed as HTML
    tip.hidden = false;
    var rects = el.getClientRects();  // a span wrapped over two lines: sit under its last line
    var r = rects.length ? rects[rects.length - 1] : el.getBoundingClientRect();
    tip.style.left = Math.max(4, window.scrollX + r.left) + "px";
    tip.style.top = (window.scrollY + r.bottom + 6) + "px";
    el.setAttribute("aria-describedby", "tip");
  }
  function hide(el) { tip.hidden = true; if (el) el.removeAttribute("aria-describedby"); }
  ["mouseover", "focusin"].forEach(function (ev) {
    document.addEventListener(ev, function (e) { var el = e.target.closest && e.target.closest(sel); if (el) show(el); });
  });
  ["mouseout", "focusout"].forEach(function (ev) {
    document.addEventListener(ev, function (e) { var el = e.target.closest && e.target.closest(sel); if (el) hide(el); });
  });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") hide(); });
  document.querySelectorAll(".script-toggle a").forEach(function (a) {
    a.addEventListener("click", function () { sessionStorage.setItem("nl-scroll", String(window.scrollY)); });
  });
  var y = sessionStorage.getItem("nl-scroll");
  if (y !== null) { sessionStorage.removeItem("nl-scroll"); window.scrollTo(0, +y); }
})();
