/* Puts a folded block's body back when it is needed (hooks/guide/folded_code.py says why).
   Material never saw these code blocks and tables, so they get what it gives the others:
   a copy button (Material's own click handler serves every [data-clipboard-target]) and the
   scroll wrapper that keeps a wide table inside the page on a phone. */
(function () {
  var made = 0;
  var label;

  /* Material's own word for "copy", in the page's language (read once) */
  function copyLabel() {
    if (label === undefined) {
      try {
        var config = JSON.parse(document.getElementById("__config").textContent);
        label = config.translations["clipboard.copy"];
      } catch (error) {
        label = "Copy";
      }
    }
    return label;
  }

  function dressCode(root) {
    root.querySelectorAll("pre > code").forEach(function (code) {
      var pre = code.parentElement;
      if (pre.querySelector(".md-code__nav")) return;
      if (!pre.id) pre.id = "__folded_code_" + made++;
      var nav = document.createElement("nav");
      nav.className = "md-code__nav";
      var button = document.createElement("button");
      button.className = "md-code__button";
      button.title = copyLabel();
      button.setAttribute("data-clipboard-target", "#" + pre.id + " > code");
      button.setAttribute("data-md-type", "copy");
      nav.appendChild(button);
      pre.insertBefore(nav, code);
    });
    root.querySelectorAll("table").forEach(function (table) {
      if (table.closest(".md-typeset__scrollwrap")) return;
      var wrap = document.createElement("div");
      wrap.className = "md-typeset__scrollwrap";
      var inner = document.createElement("div");
      inner.className = "md-typeset__table";
      table.parentNode.insertBefore(wrap, table);
      inner.appendChild(table);
      wrap.appendChild(inner);
    });
  }

  function unfold(details) {
    var template = details.querySelector(":scope > template[data-folded]");
    if (!template) return;
    var body = template.content;
    dressCode(body);
    template.replaceWith(body);
  }

  function unfoldAll() {
    document.querySelectorAll("details > template[data-folded]").forEach(function (template) {
      unfold(template.parentElement);
    });
  }

  /* a link to an id inside a folded block: put it back, open it, go there */
  function showTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id || document.getElementById(id)) return;
    var templates = document.querySelectorAll("details > template[data-folded]");
    for (var i = 0; i < templates.length; i++) {
      if (templates[i].content.getElementById(id)) {
        var details = templates[i].parentElement;
        unfold(details);
        details.open = true;
        document.getElementById(id).scrollIntoView();
        return;
      }
    }
  }

  /* before the click opens it, so the block never shows empty for a frame */
  document.addEventListener(
    "click",
    function (event) {
      var summary = event.target.closest && event.target.closest("summary");
      if (summary && summary.parentElement.tagName === "DETAILS") unfold(summary.parentElement);
    },
    true
  );
  document.addEventListener(
    "toggle",
    function (event) {
      if (event.target.open) unfold(event.target);
    },
    true
  );
  window.addEventListener("beforeprint", unfoldAll);
  window.addEventListener("hashchange", showTarget);
  showTarget();
})();
