// Indicator index filter (issue 14): level, plan type, domain, 约束性/预期性. Offline, no dependencies.
(function () {
  function setup() {
    var form = document.getElementById("stdkit-indicator-filter");
    if (!form || form.dataset.ready) { return; }
    form.dataset.ready = "1";
    var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-indicator][data-kind]"));
    var out = document.getElementById("stdkit-filter-count");
    function apply() {
      var want = {};
      Array.prototype.forEach.call(form.querySelectorAll("select"), function (s) { want[s.name] = s.value; });
      var shown = 0;
      rows.forEach(function (tr) {
        var ok = Object.keys(want).every(function (k) {
          if (!want[k]) { return true; }
          var have = (tr.getAttribute("data-" + k) || "").split(" ");
          return have.indexOf(want[k]) >= 0;
        });
        tr.hidden = !ok;
        if (ok) { shown += 1; }
      });
      Array.prototype.forEach.call(document.querySelectorAll(".stdkit-indicator-group"), function (g) {
        var n = g.querySelectorAll("tr[data-indicator]:not([hidden])").length;
        g.hidden = n === 0;
        var c = g.querySelector(".stdkit-group-count");
        if (c) { c.textContent = String(n); }
      });
      if (out) { out.textContent = shown + " 项"; }
      var params = new URLSearchParams();
      Object.keys(want).forEach(function (k) { if (want[k]) { params.set(k, want[k]); } });
      var q = params.toString();
      history.replaceState(null, "", q ? "?" + q + location.hash : location.pathname + location.hash);
    }
    var init = new URLSearchParams(location.search);
    Array.prototype.forEach.call(form.querySelectorAll("select"), function (s) {
      if (init.get(s.name)) { s.value = init.get(s.name); }
      s.addEventListener("change", apply);
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    apply();
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", setup); } else { setup(); }
})();
