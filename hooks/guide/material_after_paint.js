/* Material's bundle, started after the first paint (hooks/guide/material_after_paint.py says why).
   The bundle waits for DOMContentLoaded, which has already fired by then: the listeners it
   adds for that event are kept and called once it has run. Until then the page works as
   Material's own pages do without JavaScript: links, the menu, folded blocks, the language
   and colour links. */
(function (bundle) {
  var addListener = document.addEventListener;
  var ready = [];
  var body = document.body;
  var setAttribute = body.setAttribute;

  function start() {
    document.addEventListener = function (type, listener) {
      if (type === "DOMContentLoaded" && document.readyState !== "loading") {
        ready.push(listener);
      } else {
        addListener.apply(document, arguments);
      }
    };
    /* On load Material applies the palette the page already shows, and flags <body> with
       data-md-color-switching while it does: each write restyles the whole page. Nothing
       is switching yet, so the first application skips writes that change nothing. */
    body.setAttribute = function (name, value) {
      if (name === "data-md-color-switching" || this.getAttribute(name) === String(value)) {
        return;
      }
      setAttribute.apply(this, arguments);
    };
    /* It then reads the header's computed colours for the theme-color meta tag, which forces
       the browser to restyle everything Material has touched so far, inside its start-up
       task. The page has not changed colour, so it gets the colours read now, while the
       styles are still clean; the restyle then happens in the next frame, as it would anyway. */
    var header = document.querySelector("[data-md-component='header']");
    var computed = window.getComputedStyle;
    var headerStyle = header && computed(header);
    var headerColours = headerStyle && {
      colorScheme: headerStyle.colorScheme,
      backgroundColor: headerStyle.backgroundColor
    };
    window.getComputedStyle = function (element) {
      return element === header && headerColours ? headerColours : computed.apply(window, arguments);
    };
    var script = document.createElement("script");
    script.src = bundle;
    script.onload = script.onerror = function () {
      document.addEventListener = addListener;
      /* The bundle has run its top level; its start-up (the listeners) runs in a task of its
         own, so the two halves are two shorter tasks rather than one long one. */
      setTimeout(function () {
        ready.forEach(function (listener) {
          listener.call(document, new Event("DOMContentLoaded"));
        });
        delete body.setAttribute;
        window.getComputedStyle = computed;
      }, 0);
    };
    body.appendChild(script);
  }

  /* Material downloads the search index at start-up and hands it to its search worker,
     which builds the whole index for both languages on every page view. Material itself
     waits for the reader to open the search on file:// pages; here it waits on every page:
     the request is sent when the search is first opened (the toggle Material opens it with,
     by click, key or ?q=), at once for a page reached from a search result (?h=, whose
     words Material highlights with the index). */
  var searchToggle = document.querySelector("[data-md-toggle='search']");
  var params = new URLSearchParams(location.search);
  var searchWanted = !searchToggle || searchToggle.checked || params.has("h") || params.has("q");
  var heldBack = [];
  if (!searchWanted) {
    searchToggle.addEventListener("change", function wanted() {
      if (!searchToggle.checked) return;
      searchToggle.removeEventListener("change", wanted);
      searchWanted = true;
      heldBack.splice(0).forEach(function (send) { send(); });
    });
  }
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url) {
    this.isSearchIndex = /\/search\/search_index\.json$/.test(String(url));
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    var request = this, args = arguments;
    if (request.isSearchIndex && !searchWanted) {
      heldBack.push(function () { send.apply(request, args); });
      return;
    }
    return send.apply(request, args);
  };

  /* After the first paint with text in it (Chinese text can need a font load first, so the
     first frame may still be blank), or after 3 s; in a browser without paint timing,
     after the first frame. */
  var started = false;
  function startOnce() {
    if (!started) {
      started = true;
      setTimeout(start, 0);
    }
  }
  var types = (window.PerformanceObserver && PerformanceObserver.supportedEntryTypes) || [];
  if (types.indexOf("paint") >= 0) {
    new PerformanceObserver(function (list, observer) {
      if (list.getEntriesByName("first-contentful-paint").length) {
        observer.disconnect();
        startOnce();
      }
    }).observe({ type: "paint", buffered: true });
    setTimeout(startOnce, 3000);
  } else {
    requestAnimationFrame(startOnce);
  }
})(document.currentScript.getAttribute("data-bundle"));
