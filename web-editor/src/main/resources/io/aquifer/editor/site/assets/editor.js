// The Aquifer browser SQL editor. Plain JavaScript, no build step. Everything it shows comes from
// the public Databricks REST API of this server, called with the user's access token: Statement
// Execution 2.0, Unity Catalog, Warehouses, Query History and SCIM Me. Data is put into the page
// as text (textContent), never as markup.
"use strict";

(() => {
  const TOKEN_KEY = "aquifer.editor.token";
  const TABS_KEY = "aquifer.editor.tabs";
  const WAREHOUSE_KEY = "aquifer.editor.warehouse";
  const CHUNKS_KEPT = 4;
  const $ = (id) => document.getElementById(id);
  const Sql = AquiferSql;

  // ---------------------------------------------------------------- REST calls

  class ApiError extends Error {
    constructor(status, errorCode, message) {
      super(message);
      this.status = status;
      this.errorCode = errorCode;
    }
  }

  function token() {
    return sessionStorage.getItem(TOKEN_KEY);
  }

  async function api(method, path, body) {
    const headers = { Authorization: "Bearer " + token() };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let response;
    try {
      response = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: "no-store",
      });
    } catch (e) {
      throw new ApiError(0, "NETWORK_ERROR", "The server did not answer: " + e.message);
    }
    const text = await response.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : {};
    } catch (e) {
      json = null;
    }
    if (response.status === 401) {
      signOut("Your token was not accepted (expired or revoked): sign in again.");
      throw new ApiError(401, "UNAUTHENTICATED", (json && json.message) || "Unauthenticated");
    }
    if (!response.ok) {
      throw new ApiError(
        response.status,
        (json && json.error_code) || "HTTP_" + response.status,
        (json && json.message) || text || response.statusText
      );
    }
    return json;
  }

  const get = (path) => api("GET", path);
  const post = (path, body) => api("POST", path, body);
  const enc = encodeURIComponent;

  // ---------------------------------------------------------------- sign-in

  async function signIn(candidate) {
    sessionStorage.setItem(TOKEN_KEY, candidate);
    try {
      const me = await get("/api/2.0/preview/scim/v2/Me");
      $("user").textContent = me.userName || "";
      showApp();
    } catch (e) {
      sessionStorage.removeItem(TOKEN_KEY);
      showSignIn(e.status === 401 ? "This token is not valid." : e.message);
    }
  }

  function signOut(message) {
    sessionStorage.removeItem(TOKEN_KEY);
    clearTimeout(warehouseTimer);
    if (running) running.abandoned = true;
    showSignIn(message || "");
  }

  function showSignIn(message) {
    $("app").hidden = true;
    $("signin").hidden = false;
    $("signin-error").textContent = message || "";
    $("token").value = "";
    $("token").focus();
  }

  let started = false;
  function showApp() {
    $("signin").hidden = true;
    $("app").hidden = false;
    if (!started) {
      started = true;
      initTabs();
    }
    loadCatalogs();
    loadWarehouses();
    if (location.hash === "#history") showView("history");
    else if (location.hash === "#upload") showView("upload");
    else editor.focus();
  }

  // ---------------------------------------------------------------- warehouses

  let warehouseTimer = null;
  let warehouses = [];

  /** Reloads the warehouses' states: every 5 s, every second while one starts or stops. */
  async function loadWarehouses() {
    if (!token()) return;
    clearTimeout(warehouseTimer);
    try {
      const answer = await get("/api/2.0/sql/warehouses");
      warehouses = answer.warehouses || [];
    } catch (e) {
      $("warehouse-state").textContent = "warehouses: " + e.message;
      if (token()) warehouseTimer = setTimeout(loadWarehouses, 5000);
      return;
    }
    const changing = warehouses.some((w) => /ING$/.test(w.state));
    clearTimeout(warehouseTimer);
    if (token()) warehouseTimer = setTimeout(loadWarehouses, changing ? 1000 : 5000);
    const select = $("warehouse");
    const wanted = select.value || localStorage.getItem(WAREHOUSE_KEY);
    select.replaceChildren();
    for (const w of warehouses) {
      const option = document.createElement("option");
      option.value = w.id;
      option.textContent = w.name + " (" + w.state + ")";
      select.append(option);
    }
    if (warehouses.some((w) => w.id === wanted)) select.value = wanted;
    showWarehouseState();
    fillHistoryWarehouses();
  }

  function selectedWarehouse() {
    return warehouses.find((w) => w.id === $("warehouse").value) || null;
  }

  function showWarehouseState() {
    const w = selectedWarehouse();
    const badge = $("warehouse-state");
    badge.className = "badge " + (w ? w.state : "");
    badge.textContent = w
      ? w.state + (w.state === "RUNNING" ? " · " + w.num_clusters + " cluster(s)" : "")
      : "no warehouse";
    $("start-warehouse").hidden = !w || w.state !== "STOPPED";
  }

  async function startWarehouse() {
    const w = selectedWarehouse();
    if (!w) return;
    try {
      await post("/api/2.0/sql/warehouses/" + enc(w.id) + "/start", {});
      await loadWarehouses();
    } catch (e) {
      $("warehouse-state").textContent = e.message;
    }
  }

  // ---------------------------------------------------------------- schema browser

  const catalogCache = new Map(); // "catalog.schema" -> tables (with columns)
  const tableCache = new Map(); // "catalog.schema.table" -> table (with columns)

  function treeNode(kind, name, fullName, insertText, loader, extra) {
    const li = document.createElement("li");
    li.setAttribute("role", "treeitem");
    li.dataset.kind = kind;
    li.dataset.name = name;
    li.dataset.fullName = fullName;
    const row = document.createElement("div");
    row.className = "node-row";
    const twisty = document.createElement("button");
    twisty.type = "button";
    twisty.className = "twisty";
    twisty.tabIndex = -1;
    const label = document.createElement("button");
    label.type = "button";
    label.className = "node-name";
    label.textContent = name;
    label.title = "Insert " + insertText + (extra && extra.comment ? "\n" + extra.comment : "");
    label.addEventListener("click", () => insertAtCursor(insertText));
    row.append(twisty, label);
    if (extra && extra.type) {
      const type = document.createElement("span");
      type.className = "node-type";
      type.textContent = extra.type;
      row.append(type);
    }
    if (extra && extra.kindLabel) {
      const k = document.createElement("span");
      k.className = "node-kind";
      k.textContent = extra.kindLabel;
      row.append(k);
    }
    li.append(row);
    if (loader) {
      li.setAttribute("aria-expanded", "false");
      twisty.textContent = "▸";
      twisty.setAttribute("aria-label", "Expand " + name);
      const children = document.createElement("ul");
      children.setAttribute("role", "group");
      children.hidden = true;
      li.append(children);
      let loading = null; // the promise of the children's first load
      const load = () => {
        if (!loading) {
          children.replaceChildren(note("loading…"));
          loading = (async () => {
            try {
              const nodes = await loader();
              children.replaceChildren(...(nodes.length ? nodes : [note("(empty)")]));
              applyFilter();
            } catch (e) {
              loading = null;
              children.replaceChildren(note(e.message, true));
            }
          })();
        }
        return loading;
      };
      const setOpen = (open) => {
        li.setAttribute("aria-expanded", String(open));
        twisty.textContent = open ? "▾" : "▸";
        twisty.setAttribute("aria-label", (open ? "Collapse " : "Expand ") + name);
        children.hidden = !open;
      };
      twisty.addEventListener("click", () => {
        const open = li.getAttribute("aria-expanded") !== "true";
        setOpen(open);
        if (open) load();
      });
      // Opens the node and resolves when its children are there (the search of unloaded schemas).
      li.expandNode = () => {
        setOpen(true);
        return load();
      };
    } else {
      twisty.disabled = true;
      twisty.setAttribute("aria-hidden", "true");
      twisty.tabIndex = -1;
    }
    return li;
  }

  function note(text, isError) {
    const li = document.createElement("li");
    li.className = "node-note" + (isError ? " error-text" : "");
    li.textContent = text;
    return li;
  }

  async function listAll(path, field) {
    const out = [];
    let pageToken = null;
    do {
      const answer = await get(path + (pageToken ? "&page_token=" + enc(pageToken) : ""));
      out.push(...(answer[field] || []));
      pageToken = answer.next_page_token || null;
    } while (pageToken);
    return out;
  }

  let catalogNames = [];

  async function loadCatalogs() {
    const tree = $("tree");
    tree.replaceChildren(note("loading…"));
    try {
      const catalogs = await listAll("/api/2.1/unity-catalog/catalogs?max_results=0", "catalogs");
      catalogNames = catalogs.map((c) => c.name);
      tree.replaceChildren(
        ...catalogs.map((c) =>
          treeNode("catalog", c.name, c.name, Sql.quoteName(c.name), () => loadSchemas(c.name), {
            comment: c.comment,
          })
        )
      );
    } catch (e) {
      tree.replaceChildren(note(e.message, true));
    }
  }

  const schemaNames = new Map(); // catalog -> [schema]

  // The filter also searches the schemas not expanded yet: after a pause in typing (at least two
  // characters), it lists the schemas of each catalog and the tables of each schema through Unity
  // Catalog (a schema's tables once, then kept) and opens the catalogs and schemas that hold a
  // matching table, so that it shows in the tree. Schemas whose tables cannot be listed are counted.
  const SEARCH_DELAY_MS = 300;
  let searchTimer = null;
  let searchSeq = 0;

  function onFilterInput() {
    applyFilter();
    clearTimeout(searchTimer);
    searchSeq++;
    const status = $("filter-status");
    status.textContent = "";
    delete status.dataset.state;
    if ($("filter").value.trim().length >= 2) searchTimer = setTimeout(searchUnloaded, SEARCH_DELAY_MS);
  }

  async function searchUnloaded() {
    const needle = $("filter").value.trim().toLowerCase();
    const seq = ++searchSeq;
    const status = $("filter-status");
    status.dataset.state = "SEARCHING";
    status.textContent = "Searching all schemas…";
    let found = 0;
    let skipped = 0;
    try {
      for (const catalog of catalogNames) {
        // the schemas are listed on each search (one call per catalog), their tables once
        const schemas = await listAll("/api/2.1/unity-catalog/schemas?catalog_name=" + enc(catalog), "schemas");
        if (seq !== searchSeq) return;
        for (const schema of schemas.map((x) => x.name)) {
          let tables = null;
          try {
            tables = await fetchTables(catalog, schema);
          } catch (e) {
            if (e.status === 401) throw e;
            skipped++; // a schema whose tables this token may not list
          }
          if (seq !== searchSeq) return;
          if (!tables) continue;
          const matches = tables.filter((t) => t.name.toLowerCase().includes(needle)).length;
          if (matches === 0) continue;
          found += matches;
          const catalogNode = treeItem(catalog);
          if (!catalogNode || !catalogNode.expandNode) continue;
          if (catalogNode.getAttribute("aria-expanded") !== "true") await catalogNode.expandNode();
          const schemaNode = treeItem(catalog + "." + schema);
          if (schemaNode && schemaNode.getAttribute("aria-expanded") !== "true") await schemaNode.expandNode();
          if (seq !== searchSeq) return;
        }
      }
      applyFilter();
      status.dataset.state = "DONE";
      status.textContent =
        (found === 0 ? "No table matches in any schema." : found + (found === 1 ? " table matches" : " tables match") + " in all schemas.") +
        (skipped ? " (" + skipped + (skipped === 1 ? " schema" : " schemas") + " could not be listed)" : "");
    } catch (e) {
      if (seq !== searchSeq) return;
      status.dataset.state = "FAILED";
      status.textContent = "Search failed: " + e.message;
    }
  }

  function treeItem(fullName) {
    return [...$("tree").querySelectorAll("li[data-kind]")].find((li) => li.dataset.fullName === fullName);
  }

  async function loadSchemas(catalog) {
    const schemas = await listAll(
      "/api/2.1/unity-catalog/schemas?catalog_name=" + enc(catalog),
      "schemas"
    );
    schemaNames.set(
      catalog,
      schemas.map((s) => s.name)
    );
    return schemas.map((s) => {
      const full = catalog + "." + s.name;
      return treeNode(
        "schema",
        s.name,
        full,
        Sql.quoteName(catalog) + "." + Sql.quoteName(s.name),
        () => loadTables(catalog, s.name),
        { comment: s.comment }
      );
    });
  }

  async function fetchTables(catalog, schema) {
    const key = catalog + "." + schema;
    if (!catalogCache.has(key)) {
      const tables = await listAll(
        "/api/2.1/unity-catalog/tables?catalog_name=" + enc(catalog) + "&schema_name=" + enc(schema),
        "tables"
      );
      catalogCache.set(key, tables);
      for (const t of tables) tableCache.set(key + "." + t.name, t);
    }
    return catalogCache.get(key);
  }

  async function loadTables(catalog, schema) {
    const tables = await fetchTables(catalog, schema);
    return tables.map((t) => {
      const full = catalog + "." + schema + "." + t.name;
      const quoted = [catalog, schema, t.name].map(Sql.quoteName).join(".");
      const node = treeNode("table", t.name, full, quoted, async () => columnNodes(full, t), {
        comment: t.comment,
        kindLabel: t.table_type === "VIEW" ? "view" : "",
      });
      const actions = [["Preview", "SELECT * FROM " + quoted + " LIMIT 100"]];
      if (t.table_type !== "VIEW") {
        actions.push(["Details", "DESCRIBE DETAIL " + quoted], ["History", "DESCRIBE HISTORY " + quoted]);
      }
      const row = node.querySelector(".node-row");
      for (const [label, sql] of actions) {
        const b = document.createElement("button");
        b.type = "button";
        b.className = "node-action";
        b.textContent = label;
        b.setAttribute("aria-label", label + " " + full);
        b.addEventListener("click", () => run({ text: sql, label: label + " of " + full }));
        row.append(b);
      }
      return node;
    });
  }

  async function columnNodes(full, table) {
    let t = table;
    if (!t.columns) {
      t = await get("/api/2.1/unity-catalog/tables/" + enc(full));
      tableCache.set(full, t);
    }
    return (t.columns || []).map((c) =>
      treeNode("column", c.name, full + "." + c.name, Sql.quoteName(c.name), null, {
        type: c.type_text,
        comment: c.comment,
      })
    );
  }

  /**
   * Arrow keys in the schema browser: up/down move between visible names, right expands (or
   * enters) a node, left collapses it (or goes to its parent); Enter inserts the name.
   */
  function treeKeydown(e) {
    const li = e.target.closest("li[data-kind]");
    if (!li || !["ArrowDown", "ArrowUp", "ArrowRight", "ArrowLeft"].includes(e.key)) return;
    e.preventDefault();
    const twisty = li.querySelector(":scope > .node-row > .twisty");
    const expanded = li.getAttribute("aria-expanded");
    const focusName = (node) => node && node.querySelector(":scope > .node-row > .node-name").focus();
    if (e.key === "ArrowRight") {
      if (expanded === "false") twisty.click();
      else if (expanded === "true") focusName(li.querySelector(":scope > ul > li[data-kind]"));
      return;
    }
    if (e.key === "ArrowLeft") {
      if (expanded === "true") twisty.click();
      else focusName(li.parentElement.closest("li[data-kind]"));
      return;
    }
    const visible = [...$("tree").querySelectorAll(".node-name")].filter((b) => b.offsetParent !== null);
    const i = visible.indexOf(li.querySelector(":scope > .node-row > .node-name"));
    const next = visible[i + (e.key === "ArrowDown" ? 1 : -1)];
    if (next) next.focus();
  }

  function applyFilter() {
    const needle = $("filter").value.trim().toLowerCase();
    const visit = (li) => {
      if (!li.dataset || !li.dataset.kind) return false;
      const group = li.querySelector(":scope > ul");
      let childMatch = false;
      if (group) {
        for (const child of group.children) {
          if (visit(child)) childMatch = true;
        }
      }
      const match = needle === "" || li.dataset.name.toLowerCase().includes(needle);
      li.hidden = !(match || childMatch);
      return match || childMatch;
    };
    for (const li of $("tree").children) visit(li);
  }

  // ---------------------------------------------------------------- editor, highlighting

  // The text area is CodeMirror 6 (assets/code-editor.js, bundled at build time): the element
  // #sql carries a textarea's value, selectionStart/End, setSelectionRange, setRangeText and focus.
  let errorMark = null; // {start, end} in the editor text
  const codeEditor = AquiferCodeEditor.create($("sql"), {
    highlight: highlightMarks,
    onChange: ({ typed }) => {
      onEdit();
      if (/^[A-Za-z0-9_.]$/.test(typed)) openCompletion(false);
      else closeCompletion();
    },
    keydown: editorKeydown,
    // The window losing focus blurs the editor too, while it keeps the focus: only a real move
    // of focus elsewhere closes the list.
    blur: () =>
      setTimeout(() => {
        if (!codeEditor.hasFocus) closeCompletion();
      }, 150),
    scroll: () => {
      if (completion.open) closeCompletion();
    },
  });
  const editor = codeEditor.host;

  /** The SQL tokens' classes (keywords, functions, strings, ...) and the error mark. */
  function highlightMarks(text) {
    const marks = [];
    for (const t of Sql.tokenize(text)) {
      if (t.type !== "space" && t.type !== "punct" && t.type !== "word") {
        marks.push({ from: t.start, to: t.start + t.text.length, className: "tok-" + t.type });
      }
    }
    if (errorMark) marks.push({ from: errorMark.start, to: errorMark.end, className: "error-mark" });
    return marks.sort((a, b) => a.from - b.from);
  }

  function renderHighlight() {
    codeEditor.refresh();
  }

  function insertAtCursor(text) {
    editor.focus();
    editor.setRangeText(text, editor.selectionStart, editor.selectionEnd, "end");
  }

  function onEdit() {
    errorMark = null;
    renderHighlight();
    saveActiveTab();
    renderParameters();
  }

  // ---------------------------------------------------------------- tabs

  let tabs = [];
  let activeTab = null;

  function initTabs() {
    try {
      const saved = JSON.parse(localStorage.getItem(TABS_KEY) || "null");
      if (saved && Array.isArray(saved.tabs) && saved.tabs.length) {
        tabs = saved.tabs.filter((t) => t && typeof t.id === "string");
        activeTab = tabs.find((t) => t.id === saved.active) || tabs[0];
      }
    } catch (e) {
      tabs = [];
    }
    if (!tabs.length) {
      tabs = [newTab("SELECT * FROM samples.tpch_sf0_01.nation;")];
      activeTab = tabs[0];
    }
    editor.value = activeTab.sql;
    renderTabs();
    renderHighlight();
    renderParameters();
  }

  function newTab(sql) {
    const used = new Set(tabs.map((t) => t.title));
    let n = 1;
    while (used.has("Query " + n)) n++;
    return { id: Date.now().toString(36) + Math.random().toString(36).slice(2, 6), title: "Query " + n, sql };
  }

  function saveTabs() {
    localStorage.setItem(TABS_KEY, JSON.stringify({ tabs, active: activeTab && activeTab.id }));
  }

  function saveActiveTab() {
    if (activeTab) {
      activeTab.sql = editor.value;
      saveTabs();
    }
  }

  function renderTabs() {
    const list = $("tabs");
    list.replaceChildren(
      ...tabs.map((t) => {
        const tab = document.createElement("div");
        tab.className = "tab";
        tab.setAttribute("role", "tab");
        tab.setAttribute("aria-selected", String(t === activeTab));
        const select = document.createElement("button");
        select.type = "button";
        select.textContent = t.title;
        select.addEventListener("click", () => switchTab(t));
        const close = document.createElement("button");
        close.type = "button";
        close.className = "tab-close";
        close.textContent = "×";
        close.setAttribute("aria-label", "Close " + t.title);
        close.addEventListener("click", () => closeTab(t));
        tab.append(select, close);
        return tab;
      })
    );
  }

  function switchTab(t) {
    saveActiveTab();
    activeTab = t;
    editor.value = t.sql;
    errorMark = null;
    saveTabs();
    renderTabs();
    renderHighlight();
    $("parameters").replaceChildren();
    renderParameters();
    editor.focus();
  }

  function closeTab(t) {
    const i = tabs.indexOf(t);
    tabs.splice(i, 1);
    if (!tabs.length) tabs.push(newTab(""));
    if (t === activeTab) {
      activeTab = tabs[Math.min(i, tabs.length - 1)];
      editor.value = activeTab.sql;
      errorMark = null;
      renderHighlight();
    }
    saveTabs();
    renderTabs();
  }

  function openInNewTab(sql) {
    saveActiveTab();
    const t = newTab(sql);
    tabs.push(t);
    switchTab(t);
  }

  // ---------------------------------------------------------------- completion

  const completion = { items: [], index: 0, start: 0, open: false };

  async function columnsOf(parts) {
    let full = null;
    if (parts.length === 3) full = parts.join(".");
    else {
      for (const key of tableCache.keys()) {
        if (key.endsWith("." + parts.join("."))) full = key;
      }
    }
    if (!full) return [];
    if (!tableCache.has(full) || !tableCache.get(full).columns) {
      try {
        tableCache.set(full, await get("/api/2.1/unity-catalog/tables/" + enc(full)));
      } catch (e) {
        return [];
      }
    }
    return tableCache.get(full).columns || [];
  }

  // The statements the page runs on its own (the function catalog, a history entry's plan) start
  // with this comment, kept as sent in the query history, so the history page can tell them from
  // the user's statements and leave them out unless asked to show them.
  const OWN_MARK = "/* aquifer-editor */";

  function isOwnStatement(q) {
    return (q.query_text || "").startsWith(OWN_MARK);
  }

  // The function catalog, read once with SHOW FUNCTIONS through the Statement Execution API when a
  // warehouse is running (so a completion never starts one); until then the fixed list of sql.js.
  let catalogFunctions = null;
  let catalogFunctionsLoad = null;

  function loadCatalogFunctions() {
    const w = selectedWarehouse();
    if (catalogFunctions || !w || w.state !== "RUNNING") return Promise.resolve();
    if (!catalogFunctionsLoad) {
      catalogFunctionsLoad = readCatalogFunctions(w).finally(() => (catalogFunctionsLoad = null));
    }
    return catalogFunctionsLoad;
  }

  async function readCatalogFunctions(w) {
    try {
      const answer = await post("/api/2.0/sql/statements", {
        statement: OWN_MARK + " SHOW FUNCTIONS",
        warehouse_id: w.id,
        wait_timeout: "10s",
        on_wait_timeout: "CANCEL",
      });
      if (answer.status.state === "SUCCEEDED") {
        const names = [];
        let chunk = answer.result;
        for (;;) {
          for (const row of (chunk && chunk.data_array) || []) names.push(String(row[0]).toLowerCase());
          if (!chunk || chunk.next_chunk_index === undefined) break;
          chunk = await get(
            "/api/2.0/sql/statements/" + enc(answer.statement_id) + "/result/chunks/" + chunk.next_chunk_index
          );
        }
        catalogFunctions = [...new Set(names.filter((n) => /^[a-z_][a-z0-9_]*$/.test(n)))].sort();
      }
      api("DELETE", "/api/2.0/sql/statements/" + enc(answer.statement_id)).catch(() => {});
    } catch (e) {
      /* completion falls back to the fixed list */
    }
  }

  async function candidates(sql, offset) {
    const { start, parts } = Sql.nameBefore(sql, offset);
    const prefix = parts[parts.length - 1].toLowerCase();
    const qualifiers = parts.slice(0, -1);
    const statement = Sql.statementAt(sql, offset);
    const fromTables = statement ? Sql.tablesInFrom(statement.text) : [];
    const items = [];
    const add = (label, kind, insert) => {
      if (label.toLowerCase().startsWith(prefix)) items.push({ label, kind, insert: insert || label });
    };
    if (qualifiers.length === 0) {
      for (const t of fromTables) {
        for (const c of await columnsOf(t.parts)) add(c.name, "column", Sql.quoteName(c.name));
      }
      for (const c of catalogNames) add(c, "catalog", Sql.quoteName(c));
      for (const [key] of tableCache) {
        const name = key.split(".").pop();
        add(name, "table " + key, Sql.quoteName(name));
      }
      for (const k of Sql.KEYWORDS) add(k, "keyword");
      await loadCatalogFunctions();
      for (const f of catalogFunctions || Sql.FUNCTIONS) add(f, "function", f + "(");
    } else {
      const alias = fromTables.find(
        (t) => t.alias && qualifiers.length === 1 && t.alias.toLowerCase() === qualifiers[0].toLowerCase()
      );
      const table = fromTables.find(
        (t) => t.parts.join(".").toLowerCase().endsWith(qualifiers.join(".").toLowerCase())
      );
      if (alias || table) {
        for (const c of await columnsOf((alias || table).parts)) add(c.name, "column", Sql.quoteName(c.name));
      }
      if (qualifiers.length === 1 && catalogNames.includes(qualifiers[0])) {
        if (!schemaNames.has(qualifiers[0])) {
          try {
            await loadSchemas(qualifiers[0]);
          } catch (e) {
            /* completion is best effort */
          }
        }
        for (const s of schemaNames.get(qualifiers[0]) || []) add(s, "schema", Sql.quoteName(s));
      }
      if (qualifiers.length === 2) {
        try {
          for (const t of await fetchTables(qualifiers[0], qualifiers[1])) add(t.name, "table", Sql.quoteName(t.name));
        } catch (e) {
          /* not a schema */
        }
      }
    }
    const seen = new Set();
    const unique = items.filter((i) => (seen.has(i.label + i.kind) ? false : seen.add(i.label + i.kind)));
    return { start, items: unique.slice(0, 200) };
  }

  let completionRequest = 0;
  async function openCompletion(explicit) {
    const request = ++completionRequest;
    const offset = editor.selectionStart;
    const { start, items } = await candidates(editor.value, offset);
    if (request !== completionRequest || editor.selectionStart !== offset) return;
    const typed = editor.value.slice(start, offset);
    const word = typed.split(".").pop();
    if (!items.length || (!explicit && word.length === 0 && !typed.endsWith("."))) {
      closeCompletion();
      return;
    }
    completion.items = items;
    completion.index = 0;
    completion.start = offset - word.length;
    completion.open = true;
    renderCompletion();
  }

  function renderCompletion() {
    const list = $("completions");
    list.replaceChildren(
      ...completion.items.map((item, i) => {
        const li = document.createElement("li");
        li.setAttribute("role", "option");
        li.id = "completion-" + i;
        li.setAttribute("aria-selected", String(i === completion.index));
        const label = document.createElement("span");
        label.textContent = item.label;
        const kind = document.createElement("span");
        kind.className = "kind";
        kind.textContent = item.kind;
        li.append(label, kind);
        li.addEventListener("mousedown", (e) => {
          e.preventDefault();
          completion.index = i;
          acceptCompletion();
        });
        return li;
      })
    );
    const caret = codeEditor.caretCoords();
    const box = $("editor-box").getBoundingClientRect();
    list.style.top = Math.max(0, caret ? caret.bottom - box.top : 0) + "px";
    list.style.left = Math.max(0, caret ? caret.left - box.left : 0) + "px";
    list.hidden = false;
    codeEditor.view.contentDOM.setAttribute("aria-activedescendant", "completion-" + completion.index);
    const selected = list.children[completion.index];
    if (selected) selected.scrollIntoView({ block: "nearest" });
  }

  function closeCompletion() {
    completion.open = false;
    $("completions").hidden = true;
    codeEditor.view.contentDOM.removeAttribute("aria-activedescendant");
  }

  function acceptCompletion() {
    const item = completion.items[completion.index];
    if (!item) return closeCompletion();
    editor.setRangeText(item.insert, completion.start, editor.selectionStart, "end");
    closeCompletion();
  }

  // ---------------------------------------------------------------- running statements

  let running = null; // {id, abandoned, canceled}

  function setStatus(text) {
    $("status").textContent = text;
  }

  function statementToRun() {
    const text = editor.value;
    if (editor.selectionStart !== editor.selectionEnd) {
      const raw = text.slice(editor.selectionStart, editor.selectionEnd);
      const lead = raw.length - raw.trimStart().length;
      return { start: editor.selectionStart + lead, text: raw.trim().replace(/;\s*$/, "") };
    }
    return Sql.statementAt(text, editor.selectionStart);
  }

  const PARAMETER_TYPES = ["STRING", "INT", "BIGINT", "DOUBLE", "DECIMAL(38,9)", "DATE", "TIMESTAMP", "BOOLEAN"];

  function parameterNames(sql) {
    const names = [];
    for (const t of Sql.tokenize(sql)) {
      if (t.type === "param" && !names.includes(t.text.slice(1))) names.push(t.text.slice(1));
    }
    return names;
  }

  /** A field (value, type) per `:name` marker of the tab's text; values are kept with the tab. */
  function renderParameters() {
    const box = $("parameters");
    const names = parameterNames(editor.value);
    const params = (activeTab && activeTab.params) || {};
    const existing = new Map([...box.querySelectorAll("[data-param]")].map((e) => [e.dataset.param, e]));
    if (names.length === existing.size && names.every((n) => existing.has(n))) return;
    box.replaceChildren(
      ...names.map((name) => {
        const p = params[name] || { value: "", type: "STRING" };
        const wrap = document.createElement("span");
        wrap.className = "param";
        wrap.dataset.param = name;
        const label = document.createElement("label");
        label.textContent = ":" + name;
        label.htmlFor = "param-" + name;
        const input = document.createElement("input");
        input.id = "param-" + name;
        input.value = p.value;
        input.placeholder = "NULL";
        const type = document.createElement("select");
        type.setAttribute("aria-label", "Type of :" + name);
        for (const t of PARAMETER_TYPES) {
          const o = document.createElement("option");
          o.value = t;
          o.textContent = t;
          type.append(o);
        }
        type.value = p.type;
        const save = () => {
          if (!activeTab) return;
          activeTab.params = activeTab.params || {};
          activeTab.params[name] = { value: input.value, type: type.value };
          saveTabs();
        };
        input.addEventListener("input", save);
        type.addEventListener("change", save);
        input.addEventListener("keydown", (e) => {
          if ((e.ctrlKey || e.metaKey) && e.key === "Enter") {
            e.preventDefault();
            run();
          }
        });
        wrap.append(label, input, type);
        return wrap;
      })
    );
    box.hidden = names.length === 0;
  }

  /** The statement's parameters from their fields: an empty field is NULL. */
  function bindParameters(sql) {
    return parameterNames(sql).map((name) => {
      const field = $("param-" + name);
      const type = field ? field.nextElementSibling.value : "STRING";
      return field && field.value !== "" ? { name, value: field.value, type } : { name, type };
    });
  }

  /**
   * Runs `given` ({text, label}: a preview, EXPLAIN or re-run, not from the editor) or else the
   * selection or the statement under the cursor.
   */
  async function run(given) {
    if (running) return;
    const statement = given && given.text ? { start: -1, ...given } : statementToRun();
    if (!statement || !statement.text) {
      setStatus("Nothing to run.");
      return;
    }
    const warehouse = selectedWarehouse();
    if (!warehouse) {
      setStatus("No warehouse to run on.");
      return;
    }
    localStorage.setItem(WAREHOUSE_KEY, warehouse.id);
    const parameters = statement.start >= 0 ? bindParameters(statement.text) : [];
    if (parameters === null) return;
    hideError();
    errorMark = null;
    renderHighlight();
    const began = performance.now();
    const current = { id: null, abandoned: false, canceled: false, statement, began };
    running = current;
    $("run").disabled = true;
    $("cancel").disabled = false;
    setStatus(
      (statement.label ? statement.label + ": " : "") +
        (warehouse.state === "RUNNING" ? "Running…" : "Warehouse " + warehouse.name + " is starting…")
    );
    let answer;
    try {
      answer = await post("/api/2.0/sql/statements", {
        statement: statement.text,
        warehouse_id: warehouse.id,
        wait_timeout: "0s",
        disposition: "EXTERNAL_LINKS",
        format: "JSON_ARRAY",
        parameters: parameters.length ? parameters : undefined,
      });
      current.id = answer.statement_id;
      let delay = 100;
      while (!current.abandoned && ["PENDING", "RUNNING"].includes(answer.status.state)) {
        if (current.canceled) {
          await post("/api/2.0/sql/statements/" + enc(current.id) + "/cancel", {});
        }
        await sleep(delay);
        delay = Math.min(1000, delay + 100);
        answer = await get("/api/2.0/sql/statements/" + enc(current.id));
        const w = selectedWarehouse();
        if (!current.canceled) {
          setStatus(
            w && w.state !== "RUNNING" && answer.status.state === "PENDING"
              ? "Warehouse " + w.name + " is starting…"
              : answer.status.state === "PENDING"
                ? "Queued…"
                : "Running… " + seconds(performance.now() - began)
          );
        }
      }
    } catch (e) {
      if (!current.abandoned) showError((e.errorCode ? e.errorCode + ": " : "") + e.message, statement);
      finish(current, "Failed.");
      return;
    }
    if (current.abandoned) return finish(current, "");
    const elapsed = performance.now() - began;
    const state = answer.status.state;
    if (state === "SUCCEEDED") {
      finish(current, (statement.label ? statement.label + ": s" : "S") + "ucceeded in " + seconds(elapsed) + ".");
      await showResult(answer, elapsed);
    } else if (state === "CANCELED") {
      finish(current, "Canceled after " + seconds(elapsed) + ".");
      const error = answer.status.error;
      if (error && error.message && !current.canceled) showError(error.message, statement);
    } else {
      finish(current, "Failed after " + seconds(elapsed) + ".");
      const error = answer.status.error || {};
      showError(error.message || state, statement);
    }
    loadWarehouses();
    if (!$("history").hidden) loadHistory();
  }

  function finish(current, status) {
    if (running === current) running = null;
    $("run").disabled = false;
    $("cancel").disabled = true;
    if (status) setStatus(status);
  }

  function cancel() {
    if (!running) return;
    running.canceled = true;
    setStatus("Canceling…");
    $("cancel").disabled = true;
    if (running.id) {
      post("/api/2.0/sql/statements/" + enc(running.id) + "/cancel", {}).catch(() => {});
    }
  }

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  // rounds half-up on whole hundredths (toFixed on ms / 1000 rounds 0.155 down: binary fractions)
  const seconds = (ms) => (Math.round(ms / 10) / 100).toFixed(2) + " s";

  function showError(message, statement) {
    $("error").hidden = false;
    $("error-message").textContent = message;
    const button = $("error-position");
    const position = Sql.positionFromMessage(message);
    if (position && statement && statement.start >= 0) {
      const start = statement.start + Sql.offsetOf(statement.text, position.line, position.column);
      const wordEnd = /^[A-Za-z0-9_`.]*/.exec(editor.value.slice(start))[0].length;
      errorMark = { start, end: start + Math.max(1, wordEnd) };
      const at = Sql.lineColumn(editor.value, start);
      button.textContent = "Go to line " + at.line + ", column " + at.column;
      button.hidden = false;
      button.onclick = () => {
        editor.focus();
        editor.setSelectionRange(errorMark ? errorMark.start : start, errorMark ? errorMark.end : start);
      };
      renderHighlight();
    } else {
      button.hidden = true;
    }
  }

  function hideError() {
    $("error").hidden = true;
    $("error-message").textContent = "";
  }

  // ---------------------------------------------------------------- results

  // {id, columns, chunks, totalRows, truncated, cache: Map, firstLink, first, visibleRows,
  //  rowHeight, renderSeq, pending}
  let result = null;

  async function showResult(answer, elapsed) {
    const manifest = answer.manifest || {};
    const columns = (manifest.schema && manifest.schema.columns) || [];
    const firstLinks = (answer.result && answer.result.external_links) || [];
    result = {
      id: answer.statement_id,
      columns,
      chunks: manifest.chunks || [],
      totalRows: manifest.total_row_count || 0,
      truncated: !!manifest.truncated,
      cache: new Map(),
      firstLink: firstLinks.length ? firstLinks[0].external_link : null,
      first: 0,
      wanted: 0,
      loading: false,
      visibleRows: null,
      rowHeight: measuredRowHeight,
      renderSeq: 0,
      pending: null,
    };
    $("results").hidden = false;
    $("results").dataset.statementId = result.id;
    $("row-count").title = "statement " + result.id;
    $("row-count").textContent =
      result.totalRows.toLocaleString("en-US") +
      (result.totalRows === 1 ? " row" : " rows") +
      (result.truncated ? " (truncated)" : "");
    $("timing").textContent = "in " + seconds(elapsed);
    $("server-timing").textContent = "";
    $("from-cache").hidden = true;
    $("goto-row").max = String(Math.max(1, result.totalRows));
    setupChart();
    renderGridHead(result);
    $("grid-wrap").scrollTop = 0;
    await renderRows(result, 0);
    renderChart();
    serverTimings(result);
  }

  /**
   * Server-side timings and the result cache marker of a finished statement, from the Query
   * History API (the Statement Execution API does not carry them). The history records a
   * statement when it has ended, so it is asked again for a few seconds.
   */
  async function serverTimings(r) {
    const deadline = performance.now() + 10000;
    let delay = 50;
    while (result === r && performance.now() < deadline) {
      let answer;
      try {
        answer = await get(
          "/api/2.0/sql/history/queries?include_metrics=true&max_results=1&filter_by.statement_ids=" +
            enc(r.id)
        );
      } catch (e) {
        return;
      }
      const q = (answer.res || [])[0];
      if (q) {
        if (result !== r) return;
        const m = q.metrics || {};
        const parts = [];
        if (q.duration !== undefined) parts.push("server " + seconds(q.duration));
        if (m.compilation_time_ms !== undefined) parts.push("compilation " + seconds(m.compilation_time_ms));
        if (m.execution_time_ms !== undefined) parts.push("execution " + seconds(m.execution_time_ms));
        const queued = queueTime(m);
        if (queued) parts.push("queued " + queued);
        const timing = $("server-timing");
        timing.textContent = parts.length ? "(" + parts.join(", ") + ")" : "";
        timing.dataset.durationMs = q.duration === undefined ? "" : String(q.duration);
        timing.title = "from the query history of statement " + r.id;
        $("from-cache").hidden = m.result_from_cache !== true;
        return;
      }
      await sleep(delay);
      delay = Math.min(500, delay * 2);
    }
  }

  function sameOrigin(link) {
    const url = new URL(link, location.href);
    return url.pathname + url.search;
  }

  async function chunkRows(index) {
    if (result.cache.has(index)) {
      const rows = result.cache.get(index);
      result.cache.delete(index);
      result.cache.set(index, rows);
      return rows;
    }
    const r = result;
    const rows = await readChunk(r, index);
    r.cache.set(index, rows);
    while (r.cache.size > CHUNKS_KEPT) r.cache.delete(r.cache.keys().next().value);
    return rows;
  }

  /** The rows of chunk `index` of result `r`, read through the Statement Execution API. */
  async function readChunk(r, index) {
    let link = index === 0 ? r.firstLink : null;
    if (!link) {
      const answer = await get("/api/2.0/sql/statements/" + enc(r.id) + "/result/chunks/" + index);
      link = answer.external_links[0].external_link;
    }
    // The signed link is read without the token, as a presigned cloud URL would be.
    const response = await fetch(sameOrigin(link), { cache: "no-store" });
    if (!response.ok) throw new ApiError(response.status, "CHUNK", "Cannot read result chunk " + index);
    return response.json();
  }

  /** Rows [from, to) of the result, read from the chunks that hold them. */
  async function rowsBetween(from, to) {
    const out = [];
    for (const chunk of result.chunks) {
      const chunkEnd = chunk.row_offset + chunk.row_count;
      if (chunkEnd <= from || chunk.row_offset >= to) continue;
      const rows = await chunkRows(chunk.chunk_index);
      out.push(
        ...rows.slice(Math.max(0, from - chunk.row_offset), Math.min(chunk.row_count, to - chunk.row_offset))
      );
    }
    return out;
  }

  const NUMERIC = new Set(["BYTE", "SHORT", "INT", "LONG", "FLOAT", "DOUBLE", "DECIMAL"]);

  // The grid is virtual: the table sticks to the top of its scroll box and holds only the rows in
  // view (at most MAX_DOM_ROWS); a spacer below it gives the scroll bar the height of every row,
  // up to MAX_SCROLL_PX, beyond which a scroll position stands for a proportional row.
  let measuredRowHeight = 24; // until a row has been measured
  const MAX_DOM_ROWS = 200;
  const MAX_SCROLL_PX = 4000000;

  function renderGridHead(r) {
    const head = document.createElement("thead");
    const headRow = document.createElement("tr");
    const corner = document.createElement("th");
    corner.textContent = "#";
    headRow.append(corner);
    for (const c of r.columns) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = c.name;
      const type = document.createElement("span");
      type.className = "col-type";
      type.textContent = c.type_text || c.type_name || "";
      th.append(type);
      headRow.append(th);
    }
    head.append(headRow);
    $("grid").replaceChildren(head);
    $("grid").setAttribute("aria-rowcount", String(r.totalRows + 1));
  }

  /** How many rows fit in the grid's box (and so are in the DOM). */
  function rowsInView(r) {
    const wrap = $("grid-wrap");
    const head = $("grid").tHead ? $("grid").tHead.getBoundingClientRect().height : 0;
    const fit = Math.ceil(Math.max(0, wrap.clientHeight - head) / r.rowHeight) + 1;
    return Math.min(r.totalRows, MAX_DOM_ROWS, Math.max(1, fit));
  }

  function layoutSpacer(r) {
    const spacer = $("grid-spacer");
    const count = rowsInView(r);
    const extra = r.totalRows > count ? Math.min(MAX_SCROLL_PX, r.totalRows * r.rowHeight) : 0;
    spacer.style.height = extra + "px";
  }

  function maxScroll() {
    const wrap = $("grid-wrap");
    return Math.max(0, wrap.scrollHeight - wrap.clientHeight);
  }

  /** The first row in view for the grid's scroll position. */
  function firstFromScroll(r) {
    const wrap = $("grid-wrap");
    if (r.pending && Math.abs(wrap.scrollTop - r.pending.scrollTop) < 2) return r.pending.first;
    r.pending = null;
    const last = Math.max(0, r.totalRows - rowsInView(r));
    const range = maxScroll();
    return range === 0 ? 0 : Math.round((wrap.scrollTop / range) * last);
  }

  /** Scrolls so that row `row` (1-based) is the first in view. */
  function goToRow(row) {
    const r = result;
    if (!r) return;
    layoutSpacer(r);
    const last = Math.max(0, r.totalRows - rowsInView(r));
    const first = Math.min(last, Math.max(0, Math.floor(row) - 1 || 0));
    const wrap = $("grid-wrap");
    const range = maxScroll();
    let top = last === 0 ? 0 : Math.round((first / last) * range);
    // a position that maps back to that row by itself (when the rows are more than the pixels)
    const mapped = (t) => (range === 0 ? 0 : Math.round((t / range) * last));
    for (let i = 0; i < 64 && mapped(top) < first && top < range; i++) top++;
    for (let i = 0; i < 64 && mapped(top) > first && top > 0; i--) top--;
    wrap.scrollTop = top;
    r.pending = { first, scrollTop: wrap.scrollTop };
    renderRows(r, first);
  }

  /** Puts rows [first, first + rows in view) into the DOM, reading their chunks when needed. */
  async function renderRows(r, first) {
    const count = rowsInView(r);
    first = Math.min(Math.max(0, r.totalRows - count), Math.max(0, first));
    // the same rows already in the DOM: nothing to do (keeps the elements a reader holds)
    if (!r.loading && r.visibleRows && first === r.first && count === r.visibleRows.length) return;
    r.wanted = first;
    r.loading = true;
    const seq = ++r.renderSeq;
    let rows;
    try {
      rows = await rowsBetween(first, first + count);
    } catch (e) {
      if (seq === r.renderSeq) r.loading = false;
      showError(e.message, null);
      return;
    }
    if (result !== r || seq !== r.renderSeq) return;
    r.loading = false;
    r.first = first;
    r.visibleRows = rows;
    const body = document.createElement("tbody");
    rows.forEach((row, i) => {
      const tr = document.createElement("tr");
      tr.setAttribute("aria-rowindex", String(first + i + 2));
      const num = document.createElement("td");
      num.className = "rownum";
      num.textContent = String(first + i + 1);
      tr.append(num);
      r.columns.forEach((c, j) => {
        const td = document.createElement("td");
        const value = row[j];
        if (value === null || value === undefined) {
          const span = document.createElement("span");
          span.className = "null";
          span.textContent = "NULL";
          td.append(span);
          td.dataset.null = "true";
        } else {
          td.textContent = value;
          td.title = value.length > 60 || /[\r\n]/.test(value) ? value : "";
          if (NUMERIC.has(c.type_name)) td.className = "num";
        }
        tr.append(td);
      });
      body.append(tr);
    });
    const grid = $("grid");
    if (grid.tBodies.length) grid.tBodies[0].replaceWith(body);
    else grid.append(body);
    // the real row height, once there are rows to measure: with another, other rows fit
    if (body.rows.length) {
      const height = body.rows[0].getBoundingClientRect().height;
      if (height > 0 && Math.abs(height - r.rowHeight) > 0.5) {
        r.rowHeight = measuredRowHeight = height;
        if (rowsInView(r) !== count) {
          layoutSpacer(r);
          return renderRows(r, first);
        }
      }
    }
    layoutSpacer(r);
    // Not while someone types a row number into it: a render would rewrite what they typed.
    if (document.activeElement !== $("goto-row")) $("goto-row").value = String(first + 1);
    $("visible-rows").textContent =
      r.totalRows === 0
        ? "no rows"
        : "rows " + (first + 1).toLocaleString("en-US") + "–" + (first + rows.length).toLocaleString("en-US") +
          " of " + r.totalRows.toLocaleString("en-US");
  }

  let scrollQueued = false;
  function onGridScroll() {
    if (!result || scrollQueued) return;
    scrollQueued = true;
    requestAnimationFrame(() => {
      scrollQueued = false;
      if (result) renderRows(result, firstFromScroll(result));
    });
  }

  function csvField(value) {
    if (value === null || value === undefined) return "";
    return /[",\r\n]/.test(value) ? '"' + value.replace(/"/g, '""') + '"' : value;
  }

  async function download(kind) {
    if (!result) return;
    const r = result;
    setStatus("Preparing " + kind.toUpperCase() + "…");
    const parts = [];
    try {
      if (kind === "csv") parts.push(r.columns.map((c) => csvField(c.name)).join(",") + "\r\n");
      else parts.push("[");
      let first = true;
      for (const chunk of r.chunks) {
        const rows = await chunkRows(chunk.chunk_index);
        if (kind === "csv") {
          parts.push(rows.map((row) => row.map(csvField).join(",")).join("\r\n") + (rows.length ? "\r\n" : ""));
        } else {
          for (const row of rows) {
            const object = {};
            r.columns.forEach((c, j) => (object[c.name] = row[j]));
            parts.push((first ? "\n" : ",\n") + JSON.stringify(object));
            first = false;
          }
        }
      }
      if (kind === "json") parts.push("\n]\n");
    } catch (e) {
      showError(e.message, null);
      return;
    }
    const blob = new Blob(parts, { type: kind === "csv" ? "text/csv" : "application/json" });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "result-" + r.id + "." + kind;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
    setStatus("Downloaded " + r.totalRows.toLocaleString("en-US") + " rows as " + kind.toUpperCase() + ".");
  }

  /** Copies the rows in view, with a header, as tab-separated text. */
  async function copyPage() {
    if (!result || !result.visibleRows) return;
    const cell = (v) => (v === null || v === undefined ? "NULL" : String(v).replace(/[\t\r\n]/g, " "));
    const text =
      [result.columns.map((c) => c.name), ...result.visibleRows]
        .map((row) => row.map(cell).join("\t"))
        .join("\n") + "\n";
    try {
      await navigator.clipboard.writeText(text);
      setStatus("Copied " + result.visibleRows.length + " rows.");
    } catch (e) {
      setStatus("The browser refused the clipboard: " + e.message);
    }
  }

  // ---------------------------------------------------------------- chart

  // The chart reads at most this many rows of a result (through its chunks) and draws at most
  // this many X values.
  const CHART_ROW_CAP = 250000;
  const CHART_MAX_MARKS = 2000;

  function setupChart() {
    const x = $("chart-x");
    const y = $("chart-y");
    const options = (filter) =>
      result.columns
        .map((c, i) => ({ c, i }))
        .filter(filter)
        .map(({ c, i }) => {
          const o = document.createElement("option");
          o.value = String(i);
          o.textContent = c.name;
          return o;
        });
    x.replaceChildren(...options(() => true));
    y.replaceChildren(...options(({ c }) => NUMERIC.has(c.type_name)));
    const firstText = result.columns.findIndex((c) => !NUMERIC.has(c.type_name));
    if (firstText >= 0) x.value = String(firstText);
  }

  /**
   * The whole result's rows for the chart, at most CHART_ROW_CAP: every chunk in result order,
   * those the grid holds from memory, the others read through the API (not kept). `progress` is
   * told the rows read so far; null when `current()` stopped holding.
   */
  async function chartRows(r, progress, current) {
    const out = [];
    for (const chunk of r.chunks) {
      if (out.length >= CHART_ROW_CAP) break;
      const rows = r.cache.get(chunk.chunk_index) || (await readChunk(r, chunk.chunk_index));
      if (!current()) return null;
      for (const row of rows) {
        if (out.length >= CHART_ROW_CAP) break;
        out.push(row);
      }
      progress(out.length);
    }
    return out;
  }

  const AGGREGATES = {
    sum: { init: () => 0, add: (a, v) => a + v, done: (a) => a },
    avg: { init: () => [0, 0], add: (a, v) => [a[0] + v, a[1] + 1], done: (a) => (a[1] ? a[0] / a[1] : 0) },
    count: { init: () => 0, add: (a) => a + 1, done: (a) => a },
    min: { init: () => Infinity, add: (a, v) => Math.min(a, v), done: (a) => a },
    max: { init: () => -Infinity, add: (a, v) => Math.max(a, v), done: (a) => a },
  };

  /** One {label, value} per X value, in order of first appearance: Y aggregated over its rows. */
  function aggregate(rows, xi, yi, how) {
    const labelOf = (row) => (row[xi] === null ? "NULL" : String(row[xi]));
    if (!AGGREGATES[how]) return rows.map((row) => ({ label: labelOf(row), value: Number(row[yi]) || 0 }));
    const f = AGGREGATES[how];
    const groups = new Map();
    for (const row of rows) {
      const label = labelOf(row);
      const y = row[yi];
      if (!groups.has(label)) groups.set(label, f.init());
      if (y === null && how !== "count") continue;
      groups.set(label, f.add(groups.get(label), Number(y) || 0));
    }
    return [...groups].map(([label, a]) => ({ label, value: f.done(a) }));
  }

  const SVG = "http://www.w3.org/2000/svg";
  const PALETTE = ["#1f6feb", "#cf222e", "#1a7f37", "#9a6700", "#8250df", "#bf3989", "#0a3069", "#57606a"];

  function svgElement(name, attributes, text) {
    const e = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attributes)) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = text;
    return e;
  }

  const shortNumber = (v) =>
    Math.abs(v) >= 1e6 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : String(+v.toPrecision(6));

  let chartSeq = 0;

  /**
   * A chart of the whole result (its first CHART_ROW_CAP rows, said when capped): each row, or Y
   * aggregated by X (sum, average, count, min or max per X value); at most CHART_MAX_MARKS marks;
   * bar, line, scatter or pie.
   */
  async function renderChart() {
    const box = $("chart");
    if ($("chart-panel").hidden || !result || !result.visibleRows) return;
    const r = result;
    const seq = ++chartSeq;
    if ($("chart-y").value === "") {
      box.replaceChildren(note("No numeric column to chart."));
      return;
    }
    const kind = $("chart-type").value;
    const how = $("chart-agg").value;
    const xi = Number($("chart-x").value);
    const yi = Number($("chart-y").value);
    const hint = $("chart-hint");
    const total = r.totalRows;
    const capped = total > CHART_ROW_CAP;
    const wanted = Math.min(total, CHART_ROW_CAP);
    box.dataset.state = "READING";
    let read;
    try {
      read = await chartRows(
        r,
        (n) => {
          if (seq === chartSeq) hint.textContent = "reading rows for the chart… " + n.toLocaleString("en-US") + " of " + wanted.toLocaleString("en-US");
        },
        () => seq === chartSeq && result === r
      );
    } catch (e) {
      if (seq !== chartSeq) return;
      box.dataset.state = "FAILED";
      box.replaceChildren(note("Cannot read the result for the chart: " + e.message, true));
      return;
    }
    if (!read || seq !== chartSeq) return;
    const groups = aggregate(read, xi, yi, how);
    const rows = groups.slice(0, CHART_MAX_MARKS);
    const xName = r.columns[xi].name;
    const yName = r.columns[yi].name;
    const n = (v) => v.toLocaleString("en-US");
    hint.textContent =
      (AGGREGATES[how] ? how + " of " + yName + " by " + xName : yName + " by " + xName + " (each row)") + " over " +
      (capped
        ? "the first " + n(read.length) + " of " + n(total) + " rows (capped at " + n(CHART_ROW_CAP) + ")"
        : read.length === 1 ? "the 1 row" : "all " + n(read.length) + " rows") +
      (groups.length > rows.length ? "; the first " + n(rows.length) + " of " + n(groups.length) + " " + (AGGREGATES[how] ? xName + " values" : "rows") + " drawn" : "");
    const labelOf = (row) => row.label;
    const values = rows.map((row) => row.value);
    const width = 720;
    const height = 260;
    const svg = svgElement("svg", {
      viewBox: "0 0 " + width + " " + height,
      width,
      height,
      role: "img",
      "aria-label": kind + " chart of " + yName + " by " + xName,
      "data-kind": kind,
      "data-rows": read.length,
      "data-marks": rows.length,
      "data-capped": capped,
    });
    if (kind === "pie") {
      const total = values.reduce((a, v) => a + Math.max(0, v), 0) || 1;
      let angle = -Math.PI / 2;
      const [cx, cy, radius] = [120, 125, 105];
      rows.forEach((row, i) => {
        const share = Math.max(0, values[i]) / total;
        const next = angle + share * 2 * Math.PI;
        const large = next - angle > Math.PI ? 1 : 0;
        const path =
          share >= 0.9999
            ? "M " + (cx - radius) + " " + cy + " a " + radius + " " + radius + " 0 1 0 " + 2 * radius + " 0 a " + radius + " " + radius + " 0 1 0 " + -2 * radius + " 0"
            : "M " + cx + " " + cy +
              " L " + (cx + radius * Math.cos(angle)) + " " + (cy + radius * Math.sin(angle)) +
              " A " + radius + " " + radius + " 0 " + large + " 1 " + (cx + radius * Math.cos(next)) + " " + (cy + radius * Math.sin(next)) + " Z";
        const slice = svgElement("path", { d: path, class: "mark", fill: PALETTE[i % PALETTE.length], "data-x": row.label, "data-y": row.value });
        slice.append(svgElement("title", {}, labelOf(row) + ": " + row.value));
        svg.append(slice);
        if (i < 10) {
          svg.append(svgElement("rect", { x: 260, y: 30 + i * 18, width: 10, height: 10, fill: PALETTE[i % PALETTE.length] }));
          svg.append(svgElement("text", { x: 276, y: 39 + i * 18 }, labelOf(row).slice(0, 24) + " (" + (share * 100).toFixed(1) + "%)"));
        }
        angle = next;
      });
      svg.append(svgElement("text", { class: "axis-title", x: 260, y: 16 }, yName + " by " + xName));
      box.replaceChildren(svg);
      box.dataset.state = "DRAWN";
      return;
    }
    const max = values.reduce((a, v) => Math.max(a, v), 0);
    const min = values.reduce((a, v) => Math.min(a, v), 0);
    const [plotLeft, plotRight, plotTop, plotBottom] = [70, width - 10, 10, height - 48];
    const scale = (v) => plotBottom - ((v - min) / (max - min || 1)) * (plotBottom - plotTop);
    const step = (plotRight - plotLeft) / Math.max(1, rows.length);
    const xOf = (i) => plotLeft + i * step;
    const labelEvery = Math.max(1, Math.ceil(rows.length / Math.floor((plotRight - plotLeft) / 40)));
    const points = [];
    rows.forEach((row, i) => {
      const x = xOf(i);
      let mark;
      if (kind === "bar") {
        const top = Math.min(scale(values[i]), scale(0));
        mark = svgElement("rect", {
          class: "mark bar",
          x: x + step * 0.1,
          y: top,
          width: Math.max(0.5, step * 0.8),
          height: Math.max(1, Math.abs(scale(values[i]) - scale(0))),
        });
      } else {
        const cx = x + step / 2;
        mark = svgElement("circle", { class: "mark point", cx, cy: scale(values[i]), r: rows.length > 200 ? 1.5 : 3.5 });
        points.push(cx + "," + scale(values[i]));
      }
      mark.setAttribute("data-x", row.label);
      mark.setAttribute("data-y", String(row.value));
      mark.append(svgElement("title", {}, labelOf(row) + ": " + row.value));
      svg.append(mark);
      if (i % labelEvery === 0) {
        svg.append(
          svgElement("text", { class: "tick", x: x + step / 2, y: plotBottom + 14, "text-anchor": "middle" }, labelOf(row).slice(0, 6))
        );
      }
    });
    if (kind === "line" && points.length > 1) {
      svg.prepend(svgElement("polyline", { class: "line", points: points.join(" ") }));
    }
    svg.append(svgElement("line", { class: "axis", x1: plotLeft - 4, x2: plotRight, y1: scale(0), y2: scale(0) }));
    svg.append(svgElement("line", { class: "axis", x1: plotLeft - 4, x2: plotLeft - 4, y1: plotTop, y2: plotBottom }));
    for (const v of new Set([min, max])) {
      svg.append(svgElement("text", { class: "tick", x: plotLeft - 8, y: scale(v) + 4, "text-anchor": "end" }, shortNumber(v)));
    }
    // axis titles: the columns charted
    svg.append(
      svgElement("text", { class: "axis-title x-title", x: (plotLeft + plotRight) / 2, y: height - 6, "text-anchor": "middle" }, xName)
    );
    svg.append(
      svgElement(
        "text",
        { class: "axis-title y-title", x: 0, y: 0, "text-anchor": "middle", transform: "translate(14 " + (plotTop + plotBottom) / 2 + ") rotate(-90)" },
        yName
      )
    );
    box.replaceChildren(svg);
    box.dataset.state = "DRAWN";
  }

  // ---------------------------------------------------------------- query history

  // The Query History API decides what the token sees (own statements; everyone's to an admin).
  // Status and warehouse go to its filter_by; user and text are filtered here (the API filters
  // users by numeric id only).
  let historyRows = [];
  let historySeq = 0;

  async function loadHistory() {
    const table = $("history-table");
    let path = "/api/2.0/sql/history/queries?max_results=100&include_metrics=true";
    const status = $("history-status").value;
    const warehouse = $("history-warehouse").value;
    if (status) path += "&filter_by.statuses=" + enc(status);
    if (warehouse) path += "&filter_by.warehouse_ids=" + enc(warehouse);
    const seq = ++historySeq;
    try {
      const answer = await get(path);
      if (seq !== historySeq) return;
      historyRows = answer.res || [];
    } catch (e) {
      if (seq === historySeq) table.replaceChildren(note(e.message, true));
      return;
    }
    renderHistory();
  }

  // Time the statement waited in its warehouse's queue: for compute (the warehouse starting) plus
  // at capacity (every cluster busy); empty when it needed no warehouse.
  function queueTime(m) {
    if (!m || (m.waiting_for_compute_duration_ms === undefined && m.waiting_at_capacity_duration_ms === undefined)) {
      return "";
    }
    return seconds((m.waiting_for_compute_duration_ms || 0) + (m.waiting_at_capacity_duration_ms || 0));
  }

  function queueTitle(m) {
    if (!m || (m.waiting_for_compute_duration_ms === undefined && m.waiting_at_capacity_duration_ms === undefined)) {
      return "ran without a warehouse";
    }
    return (
      "waiting for compute " + seconds(m.waiting_for_compute_duration_ms || 0) +
      ", waiting at capacity " + seconds(m.waiting_at_capacity_duration_ms || 0)
    );
  }

  function warehouseName(id) {
    const w = warehouses.find((x) => x.id === id);
    return w ? w.name : id || "";
  }

  function fillHistoryWarehouses() {
    const select = $("history-warehouse");
    const wanted = select.value;
    const names = warehouses.map((w) => w.id + "=" + w.name).join("\n");
    if (select.dataset.names === names) return;
    select.dataset.names = names;
    const any = document.createElement("option");
    any.value = "";
    any.textContent = "any";
    select.replaceChildren(
      any,
      ...warehouses.map((w) => {
        const o = document.createElement("option");
        o.value = w.id;
        o.textContent = w.name;
        return o;
      })
    );
    if (warehouses.some((w) => w.id === wanted)) select.value = wanted;
  }

  function renderHistory() {
    const needle = $("history-filter").value.trim().toLowerCase();
    const user = $("history-user").value.trim().toLowerCase();
    const head = document.createElement("tr");
    for (const h of ["started", "status", "user", "warehouse", "duration", "queued", "rows", "statement"]) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = h;
      head.append(th);
    }
    const showOwn = $("history-own").checked;
    const shown = historyRows.filter(
      (q) =>
        (showOwn || !isOwnStatement(q)) &&
        (!needle || (q.query_text || "").toLowerCase().includes(needle)) &&
        (!user || (q.user_name || "").toLowerCase().includes(user))
    );
    const rows = shown.map((q) => {
      const tr = document.createElement("tr");
      tr.dataset.statementId = q.query_id;
      const m = q.metrics || {};
      const cells = [
        new Date(q.query_start_time_ms).toLocaleTimeString(),
        q.status,
        q.user_name || "",
        warehouseName(q.warehouse_id),
        q.duration === undefined ? "" : seconds(q.duration),
        queueTime(m),
        q.rows_produced === undefined ? "" : String(q.rows_produced),
      ];
      for (const c of cells) {
        const td = document.createElement("td");
        td.textContent = c;
        tr.append(td);
      }
      tr.children[1].className = q.status;
      tr.children[3].title = q.warehouse_id || "";
      tr.children[5].title = queueTitle(m);
      if (m.result_from_cache) tr.children[4].textContent += " (cache)";
      const text = document.createElement("td");
      const open = document.createElement("button");
      open.type = "button";
      open.className = "sql linklike";
      open.textContent = q.query_text || "";
      open.title = (q.error_message ? q.error_message + "\n\n" : "") + "Open: the statement, its plan, re-run";
      open.addEventListener("click", () => openHistoryDetail(q));
      text.append(open);
      tr.append(text);
      if (historyOpen && historyOpen.query_id === q.query_id) tr.classList.add("selected");
      return tr;
    });
    $("history-table").replaceChildren(head, ...rows);
    $("history-count").textContent =
      shown.length + (shown.length === 1 ? " statement" : " statements") +
      (shown.length < historyRows.length ? " (of " + historyRows.length + " loaded)" : "");
    const own = historyRows.filter(isOwnStatement).length;
    $("history-own-count").textContent = own ? "(" + own + " loaded)" : "";
  }

  let historyOpen = null;
  let planSeq = 0;

  /** Shows a statement of the history: its text, its plan (EXPLAIN of the text) and Re-run. */
  async function openHistoryDetail(q) {
    historyOpen = q;
    for (const tr of $("history-table").querySelectorAll("tr.selected")) tr.classList.remove("selected");
    const row = [...$("history-table").rows].find((tr) => tr.dataset.statementId === q.query_id);
    if (row) row.classList.add("selected");
    const detail = $("history-detail");
    detail.hidden = false;
    detail.dataset.statementId = q.query_id;
    $("history-detail-title").textContent = q.status + " · " + q.query_id;
    const m = q.metrics || {};
    const info = [
      "by " + (q.user_name || "?"),
      "on " + warehouseName(q.warehouse_id),
      "started " + new Date(q.query_start_time_ms).toLocaleString(),
    ];
    if (q.duration !== undefined) info.push("duration " + seconds(q.duration));
    if (m.execution_time_ms !== undefined) info.push("execution " + seconds(m.execution_time_ms));
    if (q.rows_produced !== undefined) info.push(q.rows_produced + " rows");
    if (m.result_from_cache) info.push("from result cache");
    $("history-detail-info").textContent = info.join(" · ") + (q.error_message ? "\n" + q.error_message : "");
    const text = q.query_text || "";
    $("history-detail-text").textContent = text;
    const plan = $("history-plan");
    plan.classList.remove("error-text");
    plan.dataset.state = "PENDING";
    plan.textContent = "Planning…";
    const seq = ++planSeq;
    const done = (state, content) => {
      if (seq !== planSeq) return;
      plan.dataset.state = state;
      plan.classList.toggle("error-text", state !== "SUCCEEDED");
      plan.textContent = content;
    };
    resetProfile();
    loadRunProfile(q);
    const w = historyWarehouse(q);
    if (!w) return done("FAILED", "No warehouse to plan on.");
    try {
      const answer = await ownStatement("EXPLAIN " + text.replace(/[\s;]+$/, ""), w, () => seq === planSeq);
      if (answer.status.state !== "SUCCEEDED") {
        return done(answer.status.state, (answer.status.error && answer.status.error.message) || answer.status.state);
      }
      const lines = ((answer.result && answer.result.data_array) || []).map((row) =>
        row.map((v) => (v === null ? "" : String(v))).join("\t")
      );
      done("SUCCEEDED", lines.join("\n"));
    } catch (e) {
      done("FAILED", e.message);
    }
  }

  function historyWarehouse(q) {
    return selectedWarehouse() || warehouses.find((x) => x.id === q.warehouse_id);
  }

  /**
   * Runs one of the page's own statements (marked with OWN_MARK) with INLINE JSON_ARRAY results and
   * polls it while `current()` holds; returns the last answer.
   */
  async function ownStatement(sql, w, current) {
    let answer = await post("/api/2.0/sql/statements", {
      statement: OWN_MARK + " " + sql,
      warehouse_id: w.id,
      wait_timeout: "30s",
      disposition: "INLINE",
      format: "JSON_ARRAY",
    });
    let delay = 200;
    while (["PENDING", "RUNNING"].includes(answer.status.state) && current()) {
      await sleep(delay);
      delay = Math.min(1000, delay + 200);
      answer = await get("/api/2.0/sql/statements/" + enc(answer.statement_id));
    }
    return answer;
  }

  let runProfileSeq = 0;

  /**
   * The profile of the run itself, as the query history kept it: the engine's operators (time,
   * rows) mapped by the server onto each node of the logical plan
   * (GET /api/2.0/sql/history/queries/{id}/profile). Nothing is run.
   */
  async function loadRunProfile(q) {
    const seq = ++runProfileSeq;
    const status = $("history-run-profile-status");
    const table = $("history-run-profile");
    table.hidden = true;
    table.replaceChildren();
    delete table.dataset.state;
    status.classList.remove("error-text");
    status.textContent = "Loading the profile of this run…";
    try {
      const answer = await get("/api/2.0/sql/history/queries/" + enc(q.query_id) + "/profile");
      if (seq !== runProfileSeq) return;
      renderRunProfile(answer);
      status.textContent =
        "Engine time " + Number(answer.total_time_ms || 0).toFixed(3) +
        " ms in all operators, kept from this run (nothing was run again)";
      table.dataset.state = "SUCCEEDED";
    } catch (e) {
      if (seq !== runProfileSeq) return;
      table.dataset.state = e.status === 404 ? "NONE" : "FAILED";
      status.textContent =
        e.status === 404
          ? "No profile was kept for this run (statements that ran no query on a warehouse, results from the cache, and runs before profiles were kept have none)."
          : e.message;
      status.classList.toggle("error-text", e.status !== 404);
    }
  }

  function renderRunProfile(answer) {
    const table = $("history-run-profile");
    const head = table.createTHead().insertRow();
    for (const h of ["Plan node", "Rows", "Time (ms)", "Engine operators (time ms, rows)"]) {
      const th = document.createElement("th");
      th.textContent = h;
      head.appendChild(th);
    }
    const body = table.createTBody();
    const walk = (node, depth) => {
      const tr = body.insertRow();
      tr.dataset.planOperator = node.operator || "";
      tr.dataset.timeMs = String(node.time_ms || 0);
      tr.dataset.rows = node.rows === null || node.rows === undefined ? "" : String(node.rows);
      tr.dataset.engineOperators = (node.operators || []).map((o) => o.type).join(",");
      const name = tr.insertCell();
      name.className = "operator";
      name.textContent = "  ".repeat(depth) + (depth ? "└ " : "") + (node.detail || node.operator || "");
      name.title = node.detail || node.operator || "";
      const r = tr.insertCell();
      r.className = "num";
      r.textContent = tr.dataset.rows === "" ? "" : Number(node.rows).toLocaleString("en-US");
      const t = tr.insertCell();
      t.className = "num";
      t.textContent = (node.operators || []).length ? Number(node.time_ms || 0).toFixed(3) : "";
      const ops = tr.insertCell();
      ops.className = "extra";
      ops.textContent = (node.operators || [])
        .map(
          (o) =>
            (o.mapped ? "" : "(below) ") + o.type + " " + Number(o.time_ms).toFixed(3) + " ms, " +
            Number(o.rows).toLocaleString("en-US") + " rows"
        )
        .join("\n");
      for (const input of node.inputs || []) walk(input, depth + 1);
    };
    if (answer.plan) walk(answer.plan, 0);
    table.hidden = false;
  }

  let profileSeq = 0;

  function resetProfile() {
    profileSeq++;
    const table = $("history-profile");
    table.hidden = true;
    table.replaceChildren();
    $("history-profile-status").textContent = "";
    $("history-profile-run").disabled = false;
    delete $("history-profile").dataset.state;
  }

  /**
   * The per-operator profile of the open history entry: its text run once more as
   * `EXPLAIN ANALYZE` (an Aquifer statement that returns the engine's own JSON profile, DuckDB's
   * EXPLAIN (ANALYZE, FORMAT JSON)), shown as the engine's operator tree.
   */
  async function runProfile() {
    const q = historyOpen;
    if (!q) return;
    const seq = ++profileSeq;
    const status = $("history-profile-status");
    const table = $("history-profile");
    table.hidden = true;
    table.replaceChildren();
    $("history-profile-run").disabled = true;
    status.classList.remove("error-text");
    status.textContent = "Re-running with EXPLAIN ANALYZE…";
    const fail = (message) => {
      if (seq !== profileSeq) return;
      status.textContent = message;
      status.classList.add("error-text");
      table.dataset.state = "FAILED";
      $("history-profile-run").disabled = false;
    };
    const w = historyWarehouse(q);
    if (!w) return fail("No warehouse to profile on.");
    try {
      const text = (q.query_text || "").replace(/[\s;]+$/, "");
      const answer = await ownStatement("EXPLAIN ANALYZE " + text, w, () => seq === profileSeq);
      if (seq !== profileSeq) return;
      if (answer.status.state !== "SUCCEEDED") {
        return fail((answer.status.error && answer.status.error.message) || answer.status.state);
      }
      const row = ((answer.result && answer.result.data_array) || [])[0];
      const profile = JSON.parse(row && row[1] ? row[1] : "{}");
      const operators = [];
      const walk = (node, depth) => {
        const name = node.operator_name || node.operator_type || node.type || node.name || "";
        // DuckDB's wrappers of the profiled query itself, not operators of its plan.
        const wrapper = name === "EXPLAIN_ANALYZE" || name === "RESULT_COLLECTOR";
        if (name && !wrapper) operators.push({ node, name, depth });
        for (const child of node.children || []) walk(child, wrapper || !name ? depth : depth + 1);
      };
      for (const root of profile.operator || profile.children || []) walk(root, 0);
      renderProfile(operators);
      status.textContent =
        operators.length + " operators, from the engine's profile of a re-run (" + answer.statement_id + ")";
      table.dataset.state = "SUCCEEDED";
      $("history-profile-run").disabled = false;
    } catch (e) {
      fail(e.message);
    }
  }

  function renderProfile(operators) {
    const table = $("history-profile");
    const head = table.createTHead().insertRow();
    for (const h of ["Operator", "Rows", "Time (ms)", "Details"]) {
      const th = document.createElement("th");
      th.textContent = h;
      head.appendChild(th);
    }
    const body = table.createTBody();
    for (const op of operators) {
      const tr = body.insertRow();
      const rows = op.node.operator_cardinality !== undefined ? op.node.operator_cardinality : op.node.intermediate_rows;
      const timing = op.node.operator_timing !== undefined ? op.node.operator_timing : op.node.timing;
      tr.dataset.operator = op.name;
      tr.dataset.rows = rows === undefined ? "" : String(rows);
      tr.dataset.depth = String(op.depth);
      const name = tr.insertCell();
      name.className = "operator";
      name.textContent = "  ".repeat(op.depth) + (op.depth ? "└ " : "") + op.name;
      const r = tr.insertCell();
      r.className = "num";
      r.textContent = rows === undefined ? "" : Number(rows).toLocaleString("en-US");
      const t = tr.insertCell();
      t.className = "num";
      t.textContent = timing === undefined ? "" : (Number(timing) * 1000).toFixed(3);
      const extra = tr.insertCell();
      extra.className = "extra";
      const info = op.node.extra_info || {};
      extra.textContent = Object.entries(info)
        .map(([k, v]) => k + ": " + (Array.isArray(v) ? v.join(", ") : String(v)))
        .join("\n");
    }
    table.hidden = false;
  }

  function closeHistoryDetail() {
    historyOpen = null;
    planSeq++;
    runProfileSeq++;
    resetProfile();
    $("history-detail").hidden = true;
    for (const tr of $("history-table").querySelectorAll("tr.selected")) tr.classList.remove("selected");
  }

  /** The editor or the query history page (#history in the address, so Back returns). */
  function showView(view) {
    const history = view === "history";
    const uploading = view === "upload";
    $("history").hidden = !history;
    $("upload").hidden = !uploading;
    $("work").hidden = history || uploading;
    $("browser").hidden = history || uploading;
    $("history-button").setAttribute("aria-pressed", String(history));
    $("history-button").textContent = history ? "Back to the editor" : "Query history";
    $("upload-button").setAttribute("aria-pressed", String(uploading));
    $("upload-button").textContent = uploading ? "Back to the editor" : "Upload data";
    const hash = history || uploading ? "#" + view : "";
    if (location.hash !== hash) hash ? (location.hash = hash) : clearHash();
    if (history) {
      fillHistoryWarehouses();
      loadHistory();
    } else if (uploading) {
      loadUploadCatalogs();
    } else {
      editor.focus();
    }
  }

  function clearHash() {
    if (location.hash) window.history.pushState(null, "", location.pathname + location.search);
  }

  function toggleHistory() {
    showView($("history").hidden ? "history" : "editor");
  }

  function toggleUpload() {
    showView($("upload").hidden ? "upload" : "editor");
  }

  // ---------------------------------------------------------------- upload data

  // Files are staged as `aquifer load` stages them (LoadCommand, LoadFormat): in
  // /Volumes/<catalog>/<schema>/<volume>/aquifer_load/<run>/<n>-<name>, read with the same
  // read_files format and default options, and deleted afterwards.
  const UPLOAD_MAX_FILES = 10;
  const UPLOAD_MAX_BYTES = 2 * 1024 * 1024 * 1024;
  const UPLOAD_PREVIEW_ROWS = 50;
  const STAGING_FOLDER = "aquifer_load";
  const UPLOAD_FORMATS = {
    csv: { format: "csv", options: { header: "true", mode: "FAILFAST" } },
    tsv: { format: "csv", options: { delimiter: "\\t", header: "true", mode: "FAILFAST" } },
    json: { format: "json", options: { mode: "FAILFAST" } },
    jsonl: { format: "json", options: { mode: "FAILFAST" } },
    parquet: { format: "parquet", options: {} },
    avro: { format: "avro", options: {} },
    orc: { format: "orc", options: {} },
    // XML also takes the row tag the user types (rowTag => ...).
    xml: { format: "xml", options: {} },
    txt: { format: "text", options: {} },
  };
  const ROW_TAG = /^[A-Za-z_][A-Za-z0-9_.\-]*$/;
  const NAME_PART = /^[A-Za-z0-9_]+$/;

  // {files: [{file, name, stagedName, size, row}], kind, staged: {runId, directory, uploaded,
  //  columns}, busy}
  const upload = { files: [], kind: null, staged: null, busy: false };

  function sqlLiteral(value) {
    return "'" + value.replace(/\\/g, "\\\\").replace(/'/g, "\\'") + "'";
  }

  function quotedName(parts) {
    return parts.map((p) => "`" + p.replace(/`/g, "``") + "`").join(".");
  }

  function filePath(path) {
    return path.split("/").map(enc).join("/");
  }

  function formatBytes(n) {
    if (n < 1024) return n + " B";
    const units = ["KiB", "MiB", "GiB"];
    let v = n / 1024;
    let i = 0;
    while (v >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return v.toFixed(1) + " " + units[i];
  }

  function uploadMessage(text) {
    $("upload-message").textContent = text || "";
  }

  function setUploadStatus(text) {
    $("upload-status").textContent = text || "";
  }

  function extensionOf(name) {
    const dot = name.lastIndexOf(".");
    return dot < 0 ? "" : name.slice(dot + 1).toLowerCase();
  }

  /** Checks the chosen files: count, extensions (one format), total size. */
  function chooseFiles() {
    discardStaged();
    const chosen = [...$("upload-files").files];
    upload.files = [];
    upload.kind = null;
    uploadMessage("");
    const problems = [];
    if (chosen.length > UPLOAD_MAX_FILES) {
      problems.push(chosen.length + " files chosen: upload at most " + UPLOAD_MAX_FILES + " at a time.");
    }
    const kinds = new Set();
    for (const f of chosen) {
      const ext = extensionOf(f.name);
      if (!UPLOAD_FORMATS[ext]) {
        problems.push(
          f.name + ": not a file type the upload takes (.csv, .tsv, .json, .jsonl, .parquet, .avro, .orc, .xml, .txt)."
        );
      } else {
        kinds.add(ext);
      }
    }
    const formats = new Set([...kinds].map((k) => UPLOAD_FORMATS[k].format + (k === "tsv" ? "\t" : "")));
    if (formats.size > 1) {
      problems.push("The files are of different formats (" + [...kinds].join(", ") + "): upload them separately.");
    }
    const total = chosen.reduce((sum, f) => sum + f.size, 0);
    if (total > UPLOAD_MAX_BYTES) {
      problems.push(
        "The files hold more than 2 GiB (" + formatBytes(total) + "): upload at most 2 GiB at a time."
      );
    }
    if (problems.length) {
      uploadMessage(problems.join("\n"));
      showRowTag();
      renderUploadFiles();
      return;
    }
    upload.kind = kinds.size ? [...kinds][0] : null;
    showRowTag();
    upload.files = chosen.map((file, i) => ({
      file,
      name: file.name,
      stagedName: i + 1 + "-" + file.name.replace(/[^A-Za-z0-9._-]/g, "_"),
      size: file.size,
    }));
    renderUploadFiles();
  }

  /** The row tag field is there for XML files only. */
  function showRowTag() {
    const xml = upload.kind === "xml";
    $("upload-row-tag").hidden = !xml;
    $("upload-row-tag-label").hidden = !xml;
  }

  function renderUploadFiles() {
    $("upload-file-list").replaceChildren(
      ...upload.files.map((f) => {
        const tr = document.createElement("tr");
        tr.dataset.file = f.name;
        const name = document.createElement("td");
        name.textContent = f.name;
        const size = document.createElement("td");
        size.textContent = formatBytes(f.size);
        const bar = document.createElement("td");
        const progress = document.createElement("progress");
        progress.max = Math.max(1, f.size);
        progress.value = 0;
        progress.setAttribute("aria-label", "Upload of " + f.name);
        bar.append(progress);
        const state = document.createElement("td");
        state.className = "file-state";
        tr.append(name, size, bar, state);
        f.row = { tr, progress, state };
        return tr;
      })
    );
    updateUploadButtons();
  }

  function fileState(f, text, failed) {
    f.row.state.textContent = text;
    f.row.state.classList.toggle("failed", !!failed);
  }

  function updateUploadButtons() {
    const ready = upload.files.length > 0 && $("upload-volume").value && !upload.busy;
    $("upload-start").disabled = !ready;
    $("upload-create").disabled = upload.busy || !upload.staged || !upload.staged.columns;
    $("upload-discard").disabled = upload.busy || !upload.staged;
    // Nothing about the upload changes while files are sent or a statement runs.
    for (const id of ["upload-files", "upload-catalog", "upload-schema", "upload-table", "upload-mode", "upload-row-tag"]) {
      $(id).disabled = upload.busy;
    }
    $("upload-volume").disabled = upload.busy || $("upload-volume").options.length === 0;
  }

  async function fillSelect(select, names, keep) {
    const before = keep ? select.value : "";
    select.replaceChildren(
      ...names.map((n) => {
        const o = document.createElement("option");
        o.value = n;
        o.textContent = n;
        return o;
      })
    );
    if (names.includes(before)) select.value = before;
  }

  async function loadUploadCatalogs() {
    try {
      const catalogs = await listAll("/api/2.1/unity-catalog/catalogs?max_results=0", "catalogs");
      await fillSelect($("upload-catalog"), catalogs.map((c) => c.name), true);
      await loadUploadSchemas();
    } catch (e) {
      uploadMessage(e.message);
    }
  }

  async function loadUploadSchemas() {
    const catalog = $("upload-catalog").value;
    if (!catalog) return fillSelect($("upload-schema"), [], false);
    const schemas = await listAll("/api/2.1/unity-catalog/schemas?catalog_name=" + enc(catalog), "schemas");
    await fillSelect($("upload-schema"), schemas.map((s) => s.name), true);
    await loadUploadVolumes();
  }

  async function loadUploadVolumes() {
    const catalog = $("upload-catalog").value;
    const schema = $("upload-schema").value;
    const select = $("upload-volume");
    const noteText = $("upload-volume-note");
    select.replaceChildren();
    noteText.textContent = "";
    if (catalog && schema) {
      try {
        const volumes = await listAll(
          "/api/2.1/unity-catalog/volumes?catalog_name=" + enc(catalog) + "&schema_name=" + enc(schema),
          "volumes"
        );
        if (catalog !== $("upload-catalog").value || schema !== $("upload-schema").value) return;
        await fillSelect(select, volumes.map((v) => v.name), false);
        if (!volumes.length) {
          noteText.textContent =
            catalog + "." + schema + " has no volume to stage the files in (or none you may use):" +
            " create one, e.g. CREATE VOLUME " + quotedName([catalog, schema, "landing"]) + ".";
        }
      } catch (e) {
        noteText.textContent = e.message;
      }
    }
    select.disabled = select.options.length === 0;
    updateUploadButtons();
  }

  /** Uploads one file with a PUT of the Files API, reporting the bytes sent. */
  function putFile(path, file, onProgress) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open("PUT", "/api/2.0/fs/files" + filePath(path) + "?overwrite=false");
      xhr.setRequestHeader("Authorization", "Bearer " + token());
      xhr.setRequestHeader("Content-Type", "application/octet-stream");
      xhr.upload.onprogress = (e) => onProgress(e.loaded);
      xhr.onload = () => {
        if (xhr.status >= 200 && xhr.status < 300) return resolve();
        let json = null;
        try {
          json = JSON.parse(xhr.responseText);
        } catch (e) {
          json = null;
        }
        if (xhr.status === 401) signOut("Your token was not accepted (expired or revoked): sign in again.");
        reject(
          new ApiError(
            xhr.status,
            (json && json.error_code) || "HTTP_" + xhr.status,
            (json && json.message) || xhr.statusText
          )
        );
      };
      xhr.onerror = () => reject(new ApiError(0, "NETWORK_ERROR", "The upload was interrupted."));
      xhr.send(file);
    });
  }

  /** Runs one statement through the Statement Execution API and waits for its end. */
  async function executeStatement(sql, warehouse) {
    let answer = await post("/api/2.0/sql/statements", {
      statement: sql,
      warehouse_id: warehouse.id,
      wait_timeout: "0s",
      disposition: "INLINE",
      format: "JSON_ARRAY",
    });
    let delay = 100;
    while (["PENDING", "RUNNING"].includes(answer.status.state)) {
      await sleep(delay);
      delay = Math.min(1000, delay + 100);
      answer = await get("/api/2.0/sql/statements/" + enc(answer.statement_id));
    }
    return answer;
  }

  function uploadTarget() {
    const catalog = $("upload-catalog").value;
    const schema = $("upload-schema").value;
    const table = $("upload-table").value.trim();
    const volume = $("upload-volume").value;
    if (!catalog || !schema) throw new Error("Choose the catalog and schema of the table.");
    if (!NAME_PART.test(table)) {
      throw new Error("Name the table with letters, digits and underscores (not '" + table + "').");
    }
    if (!volume) throw new Error("Choose a volume to stage the files in.");
    for (const part of [catalog, schema, volume]) {
      if (!NAME_PART.test(part)) throw new Error("'" + part + "': the upload takes names of letters, digits and underscores.");
    }
    let rowTag = null;
    if (upload.kind === "xml") {
      rowTag = $("upload-row-tag").value.trim();
      if (!ROW_TAG.test(rowTag)) {
        throw new Error("Name the XML elements that are rows in Row tag (e.g. book; not '" + rowTag + "').");
      }
    }
    return { table: [catalog, schema, table], volume: [catalog, schema, volume], mode: $("upload-mode").value, rowTag };
  }

  /** read_files over the staged folder with the format's options (and the given hints). */
  function readFilesCall(directory, hints) {
    const spec = UPLOAD_FORMATS[upload.kind];
    let call = "read_files(" + sqlLiteral(directory) + ", format => " + sqlLiteral(spec.format);
    const options = { ...spec.options };
    if (upload.kind === "xml") options.rowTag = upload.staged.target.rowTag;
    if (hints) options.schemaHints = hints;
    for (const [key, value] of Object.entries(options)) call += ", " + key + " => " + sqlLiteral(value);
    return call + ")";
  }

  /** The statement's error, with the staged file's path replaced by the user's file name. */
  function mapStatementError(answer, staged) {
    const error = (answer.status && answer.status.error) || {};
    let message = (error.error_code ? error.error_code + ": " : "") + (error.message || answer.status.state);
    let file = null;
    for (const f of upload.files) {
      // The staged file's path as the message writes it (a /Volumes path or the server's own),
      // up to its name: <run>/<n>-<name>, not followed by more of a name.
      const stagedName = (staged.runId + "/" + f.stagedName).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      const pattern = new RegExp("[^\\s'\"]*" + stagedName + "(?![A-Za-z0-9._-])", "g");
      if (pattern.test(message)) {
        message = message.replace(pattern, f.name);
        file = file || f;
      }
    }
    return { message, file };
  }

  function showStatementFailure(answer, what, staged) {
    const { message, file } = mapStatementError(answer, staged);
    if (file) {
      fileState(file, message, true);
      uploadMessage(file.name + ": " + what + " failed: " + message);
    } else {
      uploadMessage(what + " failed: " + message);
    }
  }

  async function startUpload() {
    if (upload.busy) return;
    uploadMessage("");
    let target;
    try {
      target = uploadTarget();
    } catch (e) {
      uploadMessage(e.message);
      return;
    }
    const warehouse = selectedWarehouse();
    if (!warehouse) {
      uploadMessage("No warehouse to run the preview on.");
      return;
    }
    await discardStaged();
    upload.busy = true;
    $("upload-preview").hidden = true;
    updateUploadButtons();
    try {
      if (target.mode === "create") {
        // As aquifer load: a table that exists is refused before anything is uploaded.
        const exists = await get("/api/2.1/unity-catalog/tables/" + enc(target.table.join(".")) + "/exists");
        if (exists.table_exists) {
          uploadMessage(
            "TABLE_OR_VIEW_ALREADY_EXISTS (SQLSTATE 42P07): " + target.table.join(".") +
              " already exists; choose 'replace it' or another name."
          );
          return;
        }
      }
      const now = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
      const runId = now + "-" + crypto.getRandomValues(new Uint32Array(1))[0].toString(16).padStart(8, "0");
      const directory = "/Volumes/" + target.volume.join("/") + "/" + STAGING_FOLDER + "/" + runId;
      upload.staged = { runId, directory, uploaded: [], columns: null, target };
      await api("PUT", "/api/2.0/fs/directories" + filePath(directory));
      const total = upload.files.reduce((s, f) => s + f.size, 0);
      let done = 0;
      $("upload-progress").max = Math.max(1, total);
      $("upload-progress").value = 0;
      for (const f of upload.files) fileState(f, "waiting", false);
      for (const f of upload.files) {
        fileState(f, "uploading…", false);
        setUploadStatus("Uploading " + f.name + "…");
        const path = directory + "/" + f.stagedName;
        try {
          await putFile(path, f.file, (loaded) => {
            f.row.progress.value = loaded;
            $("upload-progress").value = done + loaded;
          });
        } catch (e) {
          fileState(f, "upload failed: " + e.errorCode + ": " + e.message, true);
          uploadMessage(f.name + ": upload failed: " + e.errorCode + ": " + e.message);
          await discardStaged();
          return;
        }
        upload.staged.uploaded.push(path);
        done += f.size;
        $("upload-progress").value = done;
        fileState(f, "uploaded", false);
      }
      setUploadStatus("Reading the files…");
      const answer = await executeStatement(
        "SELECT * FROM " + readFilesCall(directory, null) + " LIMIT " + UPLOAD_PREVIEW_ROWS,
        warehouse
      );
      if (answer.status.state !== "SUCCEEDED") {
        showStatementFailure(answer, "Reading the files", upload.staged);
        setUploadStatus("");
        await discardStaged();
        return;
      }
      showUploadPreview(answer);
      setUploadStatus(
        "Staged " + upload.files.length + " file" + (upload.files.length === 1 ? "" : "s") +
          " in " + directory + ": check the columns, then create the table."
      );
    } catch (e) {
      uploadMessage((e.errorCode ? e.errorCode + ": " : "") + e.message);
      setUploadStatus("");
      await discardStaged();
    } finally {
      upload.busy = false;
      updateUploadButtons();
    }
  }

  function showUploadPreview(answer) {
    const columns = ((answer.manifest && answer.manifest.schema && answer.manifest.schema.columns) || []).map(
      (c) => ({ name: c.name, type: (c.type_text || c.type_name || "").toUpperCase() })
    );
    upload.staged.columns = columns;
    const head = document.createElement("tr");
    for (const text of ["Column", "Inferred type", "Type"]) {
      const th = document.createElement("th");
      th.textContent = text;
      head.append(th);
    }
    $("upload-columns").replaceChildren(
      head,
      ...columns.map((c) => {
        const tr = document.createElement("tr");
        tr.dataset.column = c.name;
        const name = document.createElement("td");
        name.textContent = c.name;
        const inferred = document.createElement("td");
        inferred.className = "inferred-type";
        inferred.textContent = c.type;
        const edit = document.createElement("td");
        const input = document.createElement("input");
        input.type = "text";
        input.value = c.type;
        input.setAttribute("list", "upload-types");
        input.setAttribute("aria-label", "Type of column " + c.name);
        input.className = "column-type";
        edit.append(input);
        tr.append(name, inferred, edit);
        return tr;
      })
    );
    const rows = (answer.result && answer.result.data_array) || [];
    const thead = document.createElement("thead");
    const hr = document.createElement("tr");
    for (const c of columns) {
      const th = document.createElement("th");
      th.textContent = c.name;
      th.title = c.type;
      hr.append(th);
    }
    thead.append(hr);
    const tbody = document.createElement("tbody");
    for (const row of rows) {
      const tr = document.createElement("tr");
      for (const value of row) {
        const td = document.createElement("td");
        if (value === null) {
          td.textContent = "NULL";
          td.className = "null";
          td.dataset.null = "1";
        } else {
          td.textContent = value;
        }
        tr.append(td);
      }
      tbody.append(tr);
    }
    $("upload-rows").replaceChildren(thead, tbody);
    $("upload-rows-title").textContent =
      "First rows (" + rows.length + (rows.length === UPLOAD_PREVIEW_ROWS ? ", more in the files" : "") + ")";
    $("upload-preview").hidden = false;
  }

  /** The changed column types, as read_files' schemaHints ('`a` INT, `b` DATE'), or null. */
  function schemaHints() {
    const hints = [];
    for (const tr of $("upload-columns").querySelectorAll("tr[data-column]")) {
      const input = tr.querySelector("input.column-type");
      const wanted = input.value.trim();
      const inferred = tr.querySelector(".inferred-type").textContent;
      if (wanted && wanted.toUpperCase() !== inferred) {
        hints.push("`" + tr.dataset.column.replace(/`/g, "``") + "` " + wanted);
      }
    }
    return hints.length ? hints.join(", ") : null;
  }

  async function createUploadedTable() {
    if (upload.busy || !upload.staged || !upload.staged.columns) return;
    const warehouse = selectedWarehouse();
    if (!warehouse) {
      uploadMessage("No warehouse to run the statement on.");
      return;
    }
    const staged = upload.staged;
    const { target, directory } = staged;
    const name = target.table.join(".");
    upload.busy = true;
    updateUploadButtons();
    uploadMessage("");
    const sql =
      (target.mode === "overwrite" ? "CREATE OR REPLACE TABLE " : "CREATE TABLE ") +
      quotedName(target.table) +
      " AS SELECT * FROM " +
      readFilesCall(directory, schemaHints());
    // The outcome is shown once the staged files are deleted and the form is usable again.
    let report;
    try {
      setUploadStatus((target.mode === "overwrite" ? "Replacing " : "Creating ") + name + " from the staged files…");
      const answer = await executeStatement(sql, warehouse);
      if (answer.status.state !== "SUCCEEDED") {
        report = () => {
          showStatementFailure(answer, (target.mode === "overwrite" ? "Replacing " : "Creating ") + name, staged);
          setUploadStatus("Nothing was created; the staged files are deleted.");
        };
      } else {
        const count = await executeStatement("SELECT count(*) FROM " + quotedName(target.table), warehouse);
        const rows = count.status.state === "SUCCEEDED" ? count.result.data_array[0][0] : "?";
        catalogCache.delete(target.table[0] + "." + target.table[1]);
        report = () =>
          setUploadStatus(
            (target.mode === "overwrite" ? "Replaced " : "Created ") + name + ": " + rows + " row" +
              (rows === "1" ? "" : "s") + "."
          );
      }
    } catch (e) {
      report = () => {
        uploadMessage((e.errorCode ? e.errorCode + ": " : "") + e.message);
        setUploadStatus("");
      };
    } finally {
      const warning = await deleteStaged();
      upload.busy = false;
      updateUploadButtons();
      report();
      if (warning) appendUploadMessage(warning);
    }
  }

  /** Deletes the staged files and their folder; answers a warning if it could not ("" if done). */
  async function deleteStaged() {
    const staged = upload.staged;
    if (!staged) return "";
    upload.staged = null;
    try {
      for (const path of staged.uploaded) await api("DELETE", "/api/2.0/fs/files" + filePath(path));
      await api("DELETE", "/api/2.0/fs/directories" + filePath(staged.directory));
    } catch (e) {
      if (e.status !== 404) return "Could not delete the staged files in " + staged.directory + ": " + e.message;
    }
    return "";
  }

  function appendUploadMessage(text) {
    const before = $("upload-message").textContent;
    uploadMessage((before ? before + "\n" : "") + text);
  }

  /** Deletes the staged files, saying so if that fails. */
  async function discardStaged() {
    const warning = await deleteStaged();
    if (warning) appendUploadMessage(warning);
    updateUploadButtons();
  }

  // ---------------------------------------------------------------- wiring

  $("signin-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const value = $("token").value.trim();
    if (value) signIn(value);
  });
  $("signout").addEventListener("click", () => signOut("Signed out."));
  $("warehouse").addEventListener("focus", loadWarehouses);
  $("warehouse").addEventListener("change", () => {
    localStorage.setItem(WAREHOUSE_KEY, $("warehouse").value);
    showWarehouseState();
  });
  $("filter").addEventListener("input", onFilterInput);
  $("tree").addEventListener("keydown", treeKeydown);
  $("start-warehouse").addEventListener("click", startWarehouse);
  $("run").addEventListener("click", () => run());
  $("cancel").addEventListener("click", cancel);
  $("new-tab").addEventListener("click", () => openInNewTab(""));
  $("goto-row").addEventListener("change", () => goToRow(Number($("goto-row").value)));
  $("grid-wrap").addEventListener("scroll", onGridScroll);
  new ResizeObserver(() => {
    if (result && !$("results").hidden) renderRows(result, result.wanted);
  }).observe($("grid-wrap"));
  $("download-csv").addEventListener("click", () => download("csv"));
  $("copy-page").addEventListener("click", copyPage);
  $("download-json").addEventListener("click", () => download("json"));
  $("toggle-chart").addEventListener("click", () => {
    const panel = $("chart-panel");
    panel.hidden = !panel.hidden;
    $("toggle-chart").setAttribute("aria-pressed", String(!panel.hidden));
    renderChart();
  });
  $("chart-x").addEventListener("change", renderChart);
  $("chart-type").addEventListener("change", renderChart);
  $("chart-agg").addEventListener("change", renderChart);
  $("chart-y").addEventListener("change", renderChart);
  $("history-button").addEventListener("click", toggleHistory);
  $("upload-button").addEventListener("click", toggleUpload);
  $("upload-files").addEventListener("change", chooseFiles);
  $("upload-catalog").addEventListener("change", () => loadUploadSchemas().catch((e) => uploadMessage(e.message)));
  $("upload-schema").addEventListener("change", loadUploadVolumes);
  $("upload-start").addEventListener("click", startUpload);
  $("upload-create").addEventListener("click", createUploadedTable);
  $("upload-discard").addEventListener("click", async () => {
    await discardStaged();
    $("upload-preview").hidden = true;
    setUploadStatus("The staged files are deleted.");
  });
  $("history-refresh").addEventListener("click", loadHistory);
  $("history-filter").addEventListener("input", renderHistory);
  $("history-user").addEventListener("input", renderHistory);
  $("history-own").addEventListener("change", renderHistory);
  $("history-status").addEventListener("change", loadHistory);
  $("history-warehouse").addEventListener("change", loadHistory);
  $("history-close").addEventListener("click", closeHistoryDetail);
  $("history-profile-run").addEventListener("click", runProfile);
  $("history-rerun").addEventListener("click", () => {
    if (!historyOpen) return;
    const text = historyOpen.query_text || "";
    showView("editor");
    run({ text, label: "Re-run" });
  });
  $("history-open").addEventListener("click", () => {
    if (!historyOpen) return;
    const text = historyOpen.query_text || "";
    showView("editor");
    openInNewTab(text);
  });
  window.addEventListener("hashchange", () => {
    if (!token()) return;
    const wanted = location.hash === "#history" ? "history" : location.hash === "#upload" ? "upload" : "editor";
    const shown = !$("history").hidden ? "history" : !$("upload").hidden ? "upload" : "editor";
    if (wanted !== shown) showView(wanted);
  });

  editor.addEventListener("mousedown", closeCompletion);

  /** Keys in the editor, seen before CodeMirror's own; true when handled here. */
  function editorKeydown(e) {
    if (completion.open) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        const n = completion.items.length;
        completion.index = (completion.index + (e.key === "ArrowDown" ? 1 : n - 1)) % n;
        renderCompletion();
        return true;
      }
      if (e.key === "Enter" || e.key === "Tab") {
        if (!(e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          acceptCompletion();
          return true;
        }
      }
      if (e.key === "Escape") {
        e.preventDefault();
        closeCompletion();
        return true;
      }
    }
    if ((e.ctrlKey || e.metaKey) && e.key === "Enter") {
      e.preventDefault();
      closeCompletion();
      run();
    } else if (e.ctrlKey && (e.key === " " || e.code === "Space")) {
      e.preventDefault();
      openCompletion(true);
    } else if (e.key === "Escape" && running) {
      cancel();
    }
    return e.defaultPrevented;
  }

  if (token()) signIn(token());
  else showSignIn("");
})();
