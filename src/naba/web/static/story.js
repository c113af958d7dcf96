// A story page's old link /story/<id>#<article id>: when no card of this page has that id (a repair split
// moved the article to another story), ask the server where it went; /story/<id>?article=<id> redirects there.
// A file, not inline script: the reader's Content-Security-Policy allows scripts from this site only.
(function () {
  "use strict";
  var hash = window.location.hash;
  if (!hash || hash.length < 2) return;
  var article;
  try {
    article = decodeURIComponent(hash.slice(1));
  } catch (e) {
    article = hash.slice(1);
  }
  if (document.getElementById(article)) return;
  var params = new URLSearchParams(window.location.search);
  if (params.has("article")) return; // the server found no move: stay here
  params.set("article", article);
  window.location.replace(window.location.pathname + "?" + params.toString());
})();
