// Exact names first in search (issue 14). Material's search ranks a query word by word, so a
// full standard title or a defined term typed as a whole does not always lead to its own page.
// `stdkit-names.js` (generated with the site) maps every standard title, indicator name, alias and
// defined term to its page; when the query is exactly one of them, that page's result is moved to
// the top of the list (or added there when the search did not find it). Offline, no dependencies.
(function () {
  var names = null;

  function squash(s) { return (s || "").replace(/\s+/g, "").toLowerCase(); }

  function index() {
    if (names === null) {
      names = {};
      (window.stdkitNames || []).forEach(function (e) {
        var k = squash(e.name);
        if (k && !(k in names)) { names[k] = e; }  // the first entry of a name wins (titles before terms)
      });
    }
    return names;
  }

  function base() {
    var cfg = document.getElementById("__config");
    var rel = ".";
    try { rel = JSON.parse(cfg.textContent).base || "."; } catch (err) { /* keep "." */ }
    return new URL(rel.replace(/\/?$/, "/"), window.location.href);
  }

  function path(href) {
    var u = new URL(href, window.location.href);
    return u.pathname.replace(/index\.html$/, "");
  }

  var busy = false;

  function promote() {
    var list = document.querySelector(".md-search-result__list");
    var input = document.querySelector("input.md-search__input");
    if (!list || !input || busy) { return; }
    var hit = index()[squash(input.value)];
    var old = list.querySelector("li[data-stdkit-exact]");
    busy = true;
    try {
      if (!hit) {
        if (old) { old.remove(); }
        return;
      }
      var url = new URL(hit.url, base());
      var want = url.pathname;
      var first = list.firstElementChild;
      if (first && first.querySelector("a") && path(first.querySelector("a").href) === want) { return; }
      var found = null;
      Array.prototype.forEach.call(list.children, function (li) {
        var a = li.querySelector("a");
        if (!found && a && path(a.href) === want) { found = li; }
      });
      if (!found) {
        found = document.createElement("li");
        found.className = "md-search-result__item";
        found.setAttribute("data-stdkit-exact", "1");
        var a = document.createElement("a");
        a.className = "md-search-result__link";
        a.href = url.href;
        var art = document.createElement("article");
        art.className = "md-search-result__article md-typeset";
        var h = document.createElement("h1");
        h.textContent = hit.title;
        art.appendChild(h);
        a.appendChild(art);
        found.appendChild(a);
      }
      list.insertBefore(found, list.firstElementChild);
    } finally {
      busy = false;
    }
  }

  function watch() {
    var list = document.querySelector(".md-search-result__list");
    if (!list || list.dataset.stdkitWatched) { return; }
    list.dataset.stdkitWatched = "1";
    new MutationObserver(function () { window.setTimeout(promote, 0); }).observe(list, { childList: true });
    var input = document.querySelector("input.md-search__input");
    if (input) { input.addEventListener("input", function () { window.setTimeout(promote, 0); }); }
  }

  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(watch);  // Material's instant navigation
  } else {
    document.addEventListener("DOMContentLoaded", watch);
  }
})();
