// The newsroom desk page: live feed (Server-Sent Events from /feed), filters, counts chart, alerts.
// Everything that comes from an article or an alert is set with textContent, never as markup,
// and only http(s) URLs become links.
(function () {
  "use strict";

  var MAX_ITEMS = 200;          // articles kept on the page
  var MAX_ALERTS = 20;
  var CHART_ROWS = 15;
  var COUNTS_EVERY_MS = 5000;
  var RECENT_ALERT_MS = 30 * 60 * 1000;
  var WINDOWS = ["1h", "24h", "all"];

  var params = new URLSearchParams(location.search);
  var state = {
    ministry: params.get("ministry") || "",
    topic: params.get("topic") || "",
    window: WINDOWS.indexOf(params.get("window")) >= 0 ? params.get("window") : "24h",
    source: null,
    names: { ministry: {}, topic: {} },
    alerted: {},               // ministry id -> time of its latest (not cleared) alert
    countsTimer: null,
  };

  function $(id) { return document.getElementById(id); }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function safeUrl(value) {
    if (typeof value !== "string") return null;
    try {
      var url = new URL(value);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function clock(ms) {
    var d = new Date(ms);
    return pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds());
  }

  // "2025-08-14T11:00:00+09:00" -> "2025-08-14 11:00" (the article's own, Seoul, time); date-only stays.
  function publishedLabel(value) {
    if (typeof value !== "string") return "";
    var m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}))?/.exec(value);
    return m ? (m[2] ? m[1] + " " + m[2] : m[1]) : "";
  }

  function nameOf(kind, id) {
    var bare = String(id || "").replace(/^(ministry|topic):/, "");
    return state.names[kind][bare] || bare;
  }

  // ---- feed ---------------------------------------------------------------------------------

  function chip(kind, id, label, extra) {
    var button = el("button", "chip " + kind + (extra ? " " + extra : ""), label);
    button.type = "button";
    button.dataset[kind] = id;
    button.title = kind === "ministry" ? "이 부처만 보기" : "이 주제만 보기";
    if ((kind === "ministry" && id === state.ministry) || (kind === "topic" && id === state.topic)) {
      button.classList.add("active");
    }
    button.addEventListener("click", function () {
      var change = {};
      change[kind] = id;
      setFilter(change);
    });
    return button;
  }

  function renderArticle(article) {
    var item = el("li", "item fresh");
    item.dataset.id = article.id;
    item.dataset.ts = article.ts || "";
    item.dataset.shownAt = String(Date.now());

    var title = el("div", "title");
    var url = safeUrl(article.url);
    var text = article.title || "(제목 없음)";
    if (url) {
      var link = el("a", null, text);
      link.href = url;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      title.appendChild(link);
    } else {
      title.appendChild(el("span", null, text));
    }
    item.appendChild(title);

    var meta = [article.press, publishedLabel(article.published_at)].filter(Boolean);
    if (article.ts) meta.push("수신 " + clock(article.ts));
    item.appendChild(el("div", "meta", meta.join(" · ")));

    var chips = el("div", "chips");
    (article.ministries || []).forEach(function (m) {
      chips.appendChild(chip("ministry", m.id, m.name_ko || m.id, m.primary ? "primary" : ""));
    });
    (article.topics || []).forEach(function (t) {
      chips.appendChild(chip("topic", t.id, "#" + (t.label_ko || t.id)));
    });
    item.appendChild(chips);
    return item;
  }

  function onArticle(event) {
    var article;
    try { article = JSON.parse(event.data); } catch (e) { return; }
    if (!article || typeof article.id !== "string") return;
    var feed = $("feed");
    Array.prototype.forEach.call(feed.children, function (old) {
      if (old.dataset.id === article.id) old.remove();  // the same article again: show it once
    });
    feed.insertBefore(renderArticle(article), feed.firstChild);
    while (feed.children.length > MAX_ITEMS) feed.lastChild.remove();
    updateFeedCount();
    scheduleCounts(1000);
  }

  function updateFeedCount() {
    var n = $("feed").children.length;
    $("feed-empty").hidden = n > 0;
    $("feed-count").textContent = n ? n + "건" : "";
  }

  // ---- alerts -------------------------------------------------------------------------------

  // Alerts from streams.live: kind spike | spike_cleared | deadletter_rate | no_input | <kind>_cleared,
  // subject "ministry:<id>" | "topic:<id>" | "pipeline", window an ISO interval "start/end" or "PT300S".
  var ALERT_LABELS = { spike: "급증", spike_cleared: "진정", deadletter_rate: "오류 급증", no_input: "입력 없음" };

  function isClear(kind) { return /clear|resolved/i.test(kind); }

  function alertLabel(kind) {
    return ALERT_LABELS[kind] || (isClear(kind) ? "해제" : kind || "알림");
  }

  function subjectLabel(subject) {
    if (subject === "pipeline") return "파이프라인";
    return nameOf(/^topic:/.test(subject) ? "topic" : "ministry", subject);
  }

  // "2025-08-14T23:00:00+09:00/2025-08-15T00:00:00+09:00" -> "08-14 23:00–00:00"; "PT300S" -> "5분"
  function windowLabel(value) {
    var span = /^\d{4}-(\d{2}-\d{2})T(\d{2}:\d{2})[^/]*\/\d{4}-(\d{2}-\d{2})T(\d{2}:\d{2})/.exec(value);
    if (span) return span[1] + " " + span[2] + "–" + (span[3] === span[1] ? "" : span[3] + " ") + span[4];
    var seconds = /^PT(\d+(?:\.\d+)?)S$/.exec(value);
    if (seconds) return Math.round(Number(seconds[1]) / 60) + "분";
    return value;
  }

  function onAlert(event) {
    var alert;
    try { alert = JSON.parse(event.data); } catch (e) { return; }
    if (!alert) return;
    var kind = String(alert.kind || "");
    var subject = String(alert.subject || "");
    var ministry = subject.replace(/^ministry:/, "");  // bare ids are taken as ministries
    var when = alert.ts || Date.now();
    var list = $("alerts");
    if (isClear(kind)) {
      delete state.alerted[ministry];
      Array.prototype.forEach.call(list.children, function (old) {
        if (old.dataset.subject === ministry) old.classList.remove("recent");
      });
    } else if (!/^(topic:|pipeline$)/.test(subject)) {
      state.alerted[ministry] = when;
    }

    var item = el("li", "alert" + (isClear(kind) ? " clear" : Date.now() - when < RECENT_ALERT_MS ? " recent" : ""));
    item.dataset.subject = ministry;
    item.dataset.kind = kind;
    item.appendChild(el("strong", null, alertLabel(kind)));
    var parts = [subjectLabel(subject)];
    if (alert.window) parts.push(windowLabel(String(alert.window)));
    if (typeof alert.observed === "number") {
      var detail = (subject === "pipeline" ? alert.observed : alert.observed + "건");
      if (typeof alert.threshold === "number") detail += " (임계 " + alert.threshold + ")";
      parts.push(detail);
    }
    parts.push(clock(when));
    item.appendChild(el("span", null, parts.join(" · ")));
    list.insertBefore(item, list.firstChild);
    while (list.children.length > MAX_ALERTS) list.lastChild.remove();
    $("alerts-empty").hidden = true;
    markAlertedBars();
  }

  // ---- counts chart -------------------------------------------------------------------------

  // {id: {name_ko, count}} (also {id: n}, or either wrapped in {"counts": ...}) -> rows
  function countRows(body) {
    if (body && typeof body.counts === "object" && body.counts !== null) body = body.counts;
    var rows = [];
    Object.keys(body || {}).forEach(function (id) {
      var v = body[id];
      var count = typeof v === "number" ? v : v && typeof v.count === "number" ? v.count : null;
      if (count === null) return;
      rows.push({ id: id, name: (v && v.name_ko) || nameOf("ministry", id), count: count });
    });
    rows.sort(function (a, b) { return b.count - a.count || a.name.localeCompare(b.name, "ko"); });
    return rows;
  }

  function renderChart(rows) {
    var chart = $("chart");
    var max = rows.length ? rows[0].count : 0;
    var shown = rows.slice(0, CHART_ROWS);
    if (state.ministry && !shown.some(function (r) { return r.id === state.ministry; })) {
      var picked = rows.filter(function (r) { return r.id === state.ministry; })[0];
      if (picked) shown.push(picked);
    }
    chart.replaceChildren.apply(chart, shown.map(function (row) {
      var line = el("div", "bar-row" + (row.id === state.ministry ? " selected" : ""));
      line.setAttribute("role", "listitem");
      line.dataset.ministry = row.id;
      line.dataset.count = String(row.count);
      line.title = row.name + ": " + row.count + "건 (누르면 이 부처만 보기)";
      line.appendChild(el("span", "bar-name", row.name));
      var track = el("div", "bar-track");
      var fill = el("div", "bar-fill");
      fill.style.width = (max ? Math.max(2, Math.round((row.count / max) * 100)) : 0) + "%";
      track.appendChild(fill);
      line.appendChild(track);
      line.appendChild(el("span", "bar-value", row.count));
      line.addEventListener("click", function () {
        setFilter({ ministry: state.ministry === row.id ? "" : row.id });
      });
      return line;
    }));
    if (!shown.length) {
      chart.appendChild(el("p", "muted", state.window === "all" ? "아직 집계된 기사가 없습니다."
        : "이 기간에 발행된 기사가 없습니다 (발행 시각 기준). ‘전체’를 눌러 누적 집계를 보세요."));
    }
    markAlertedBars();
  }

  function markAlertedBars() {
    var now = Date.now();
    Array.prototype.forEach.call($("chart").children, function (line) {
      var at = state.alerted[line.dataset.ministry];
      line.classList.toggle("alerted", !!at && now - at < RECENT_ALERT_MS);
    });
  }

  function fetchJson(url) {
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (r) {
      return r.ok ? r.json().then(function (body) { return { status: r.status, body: body }; })
                  : { status: r.status, body: null };
    });
  }

  function refreshCounts() {
    var windowName = state.window;
    var note = "";
    var request = windowName === "all" ? fetchJson("/counts/ministries")
      : fetchJson("/counts/ministries?window=" + encodeURIComponent(windowName)).then(function (res) {
          if (res.status !== 400) return res;
          note = "기간별 집계가 아직 없어 전체 누적을 보여 줍니다.";  // windows not served by this worker
          return fetchJson("/counts/ministries");
        });
    return request.then(function (res) {
      if (windowName !== state.window) return;
      if (!res.body) throw new Error("HTTP " + res.status);
      $("chart-note").textContent = note;
      $("chart").dataset.window = note ? "all" : windowName;
      renderChart(countRows(res.body));
    }).catch(function () {
      $("chart-note").textContent = "집계를 불러오지 못했습니다. 다시 시도합니다…";
    });
  }

  function scheduleCounts(delay) {
    clearTimeout(state.countsTimer);
    state.countsTimer = setTimeout(function () {
      refreshCounts().then(function () { scheduleCounts(COUNTS_EVERY_MS); });
    }, delay);
  }

  function setWindow(name) {
    state.window = name;
    Array.prototype.forEach.call(document.querySelectorAll(".windows button"), function (b) {
      b.setAttribute("aria-pressed", String(b.dataset.window === name));
    });
    remember();
    scheduleCounts(0);
  }

  // ---- filters and the event stream ---------------------------------------------------------

  function remember() {
    var q = new URLSearchParams();
    if (state.ministry) q.set("ministry", state.ministry);
    if (state.topic) q.set("topic", state.topic);
    if (state.window !== "24h") q.set("window", state.window);
    var search = q.toString();
    history.replaceState(null, "", location.pathname + (search ? "?" + search : ""));
  }

  function setFilter(change) {
    if ("ministry" in change) state.ministry = change.ministry || "";
    if ("topic" in change) state.topic = change.topic || "";
    ensureOption($("ministry-filter"), state.ministry, nameOf("ministry", state.ministry));
    ensureOption($("topic-filter"), state.topic, nameOf("topic", state.topic));
    $("ministry-filter").value = state.ministry;
    $("topic-filter").value = state.topic;
    remember();
    connect();
    scheduleCounts(0);
  }

  function ensureOption(select, value, label) {
    if (!value) return;
    var exists = Array.prototype.some.call(select.options, function (o) { return o.value === value; });
    if (!exists) select.appendChild(new Option(label, value));
  }

  function setStatus(name, text) {
    var status = $("status");
    status.dataset.state = name;
    status.textContent = text;
  }

  function connect() {
    if (state.source) state.source.close();
    $("feed").replaceChildren();
    $("alerts").replaceChildren();
    $("alerts-empty").hidden = false;
    state.alerted = {};
    updateFeedCount();
    var q = new URLSearchParams();
    if (state.ministry) q.set("ministry", state.ministry);
    if (state.topic) q.set("topic", state.topic);
    var source = new EventSource("/feed" + (q.toString() ? "?" + q : ""));
    source.addEventListener("article", onArticle);
    source.addEventListener("alert", onAlert);
    source.onopen = function () { setStatus("live", "실시간 연결됨"); };
    source.onerror = function () {
      setStatus(source.readyState === EventSource.CLOSED ? "error" : "connecting",
                source.readyState === EventSource.CLOSED ? "연결 끊김" : "다시 연결 중…");
    };
    state.source = source;
    document.body.dataset.feed = q.toString();
  }

  function loadCatalogue() {
    return fetchJson("/desk/catalogue").then(function (res) {
      var body = res.body || { ministries: [], topics: [] };
      body.ministries.forEach(function (m) {
        state.names.ministry[m.id] = m.name_ko;
        $("ministry-filter").appendChild(new Option(m.name_ko, m.id));
      });
      body.topics.forEach(function (t) {
        state.names.topic[t.id] = t.label_ko;
        $("topic-filter").appendChild(new Option(t.label_ko, t.id));
      });
    }).catch(function () { /* filters still work from the chips */ });
  }

  function start() {
    $("ministry-filter").addEventListener("change", function (e) { setFilter({ ministry: e.target.value }); });
    $("topic-filter").addEventListener("change", function (e) { setFilter({ topic: e.target.value }); });
    $("clear-filter").addEventListener("click", function () { setFilter({ ministry: "", topic: "" }); });
    $("filters").addEventListener("submit", function (e) { e.preventDefault(); });
    Array.prototype.forEach.call(document.querySelectorAll(".windows button"), function (b) {
      b.addEventListener("click", function () { setWindow(b.dataset.window); });
    });
    setInterval(markAlertedBars, 60000);
    loadCatalogue().then(function () {
      setFilter({});
      setWindow(state.window);
    });
  }

  document.addEventListener("DOMContentLoaded", start);
})();
