// The administrators' console: plain JavaScript, no build step. Every figure and change goes through the admin API
// with the administrator's token (kept in this tab's sessionStorage only). Data is put on the page as text, never
// as HTML.
"use strict";

const TEXT = {
  en: {
    skip: "Skip to content", brand: "Referral Hub", language: "Language", signOut: "Sign out",
    "nav.dashboard": "Dashboard", "nav.agencies": "Agencies", "nav.partners": "Partners",
    "nav.referrals": "Referrals", "nav.deadLetters": "Dead letters", "nav.audit": "Audit",
    "signIn.title": "Sign in", "signIn.help": "Enter your administrator token. It stays in this browser tab only.",
    "signIn.token": "Administrator token", "signIn.submit": "Sign in",
    "signIn.refused": "This token was refused.", "signIn.unreachable": "The hub cannot be reached.",
    "dashboard.title": "Dashboard", "dashboard.period": "Last 365 days",
    "dashboard.deadLetters": "Dead letters waiting", "dashboard.quarantined": "Quarantined inputs",
    "dashboard.funnel": "Funnel", "dashboard.byAgency": "By agency", "dashboard.byPartner": "By partner",
    "stage.received": "Received", "stage.eligible": "Eligible", "stage.delivered": "Delivered",
    "stage.accepted": "Accepted", "stage.registered": "Registered", "stage.matched": "Matched",
    "agencies.title": "Agencies", "partners.title": "Partners", "col.id": "Id", "col.name": "Name",
    "col.channels": "Channels", "col.intake": "Intake", "col.accepting": "Taking referrals", "yes": "yes", "no": "no",
    "details": "Details", "back": "Back to the list",
    "referrals.title": "Referrals", "referrals.lookup": "Referral id", "referrals.find": "Find",
    "referrals.notFound": "There is no referral with this id.", "referrals.erased": "This referral was erased.",
    "timeline": "Timeline", "timeline.received": "Received from", "timeline.routed": "Routed to",
    "timeline.attempt": "Delivery attempt", "timeline.status": "Status",
    "dead.title": "Dead letters", "dead.none": "Nothing is waiting.", "dead.replay": "Replay",
    "dead.replayed": "Replayed: ", "col.kind": "Kind", "col.referral": "Referral", "col.partner": "Partner",
    "col.attempts": "Attempts", "col.lastError": "Last error", "col.when": "When", "col.delivery": "Delivery",
    "audit.title": "Configuration history", "col.version": "Version", "col.by": "By", "col.summary": "What changed",
    "error": "Something went wrong: "
  },
  fr: {
    skip: "Aller au contenu", brand: "Carrefour des références", language: "Langue", signOut: "Se déconnecter",
    "nav.dashboard": "Tableau de bord", "nav.agencies": "Organismes", "nav.partners": "Partenaires",
    "nav.referrals": "Références", "nav.deadLetters": "Envois en échec", "nav.audit": "Historique",
    "signIn.title": "Connexion",
    "signIn.help": "Saisissez votre jeton d’administrateur. Il ne reste que dans cet onglet.",
    "signIn.token": "Jeton d’administrateur", "signIn.submit": "Se connecter",
    "signIn.refused": "Ce jeton a été refusé.", "signIn.unreachable": "Le carrefour est injoignable.",
    "dashboard.title": "Tableau de bord", "dashboard.period": "365 derniers jours",
    "dashboard.deadLetters": "Envois en échec en attente", "dashboard.quarantined": "Entrées en quarantaine",
    "dashboard.funnel": "Entonnoir", "dashboard.byAgency": "Par organisme", "dashboard.byPartner": "Par partenaire",
    "stage.received": "Reçues", "stage.eligible": "Admissibles", "stage.delivered": "Transmises",
    "stage.accepted": "Acceptées", "stage.registered": "Inscrites", "stage.matched": "Jumelées",
    "agencies.title": "Organismes", "partners.title": "Partenaires", "col.id": "Identifiant", "col.name": "Nom",
    "col.channels": "Canaux", "col.intake": "Réception", "col.accepting": "Accepte des références",
    "yes": "oui", "no": "non", "details": "Détails", "back": "Retour à la liste",
    "referrals.title": "Références", "referrals.lookup": "Identifiant de la référence", "referrals.find": "Chercher",
    "referrals.notFound": "Aucune référence ne porte cet identifiant.", "referrals.erased": "Cette référence a été effacée.",
    "timeline": "Chronologie", "timeline.received": "Reçue de", "timeline.routed": "Acheminée vers",
    "timeline.attempt": "Tentative d’envoi", "timeline.status": "Statut",
    "dead.title": "Envois en échec", "dead.none": "Rien n’attend.", "dead.replay": "Relancer",
    "dead.replayed": "Relancés : ", "col.kind": "Type", "col.referral": "Référence", "col.partner": "Partenaire",
    "col.attempts": "Tentatives", "col.lastError": "Dernière erreur", "col.when": "Quand", "col.delivery": "Envoi",
    "audit.title": "Historique de la configuration", "col.version": "Version", "col.by": "Par",
    "col.summary": "Changement", "error": "Une erreur est survenue : "
  }
};

let lang = localStorage.getItem("console.lang") || (navigator.language || "en").slice(0, 2);
if (!TEXT[lang]) lang = "en";
const t = key => (TEXT[lang] && TEXT[lang][key]) || TEXT.en[key] || key;

/** An element with attributes and children (strings become text nodes: data is never parsed as HTML). */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (name === "on") Object.entries(value).forEach(([event, fn]) => node.addEventListener(event, fn));
    else if (value !== null && value !== undefined && value !== false) node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function applyLanguage() {
  document.documentElement.lang = lang;
  document.querySelectorAll("[data-i18n]").forEach(node => { node.textContent = t(node.dataset.i18n); });
  document.getElementById("language").value = lang;
}

const token = () => sessionStorage.getItem("console.token");

class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || ("HTTP " + status));
    this.status = status;
    this.problem = problem;
  }
}

async function api(method, path, body) {
  const headers = { "Authorization": "Bearer " + token(), "Accept": "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch("/admin/v1/" + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (response.status === 401) { signOut(); throw new ApiError(401, json); }
  if (!response.ok && response.status !== 410) throw new ApiError(response.status, json);
  return { status: response.status, body: json };
}

function signOut() {
  sessionStorage.removeItem("console.token");
  show(false);
}

function show(signedIn) {
  document.getElementById("sign-in").hidden = signedIn;
  document.getElementById("view").hidden = !signedIn;
  document.getElementById("nav").hidden = !signedIn;
  document.getElementById("sign-out").hidden = !signedIn;
  if (signedIn) route(); else document.getElementById("token").focus();
}

function page(title, ...content) {
  const view = document.getElementById("view");
  view.replaceChildren(el("h1", { id: "page-title" }, title), ...content);
  document.title = title + " — " + t("brand");
  const here = location.hash || "#/dashboard";
  document.querySelectorAll("#nav a").forEach(a => {
    if (here.startsWith(a.getAttribute("href"))) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  });
  // focus moves to the new page for keyboard and screen-reader users; the view starts at the top
  document.getElementById("main").focus({ preventScroll: true });
  window.scrollTo(0, 0);
}

/** A time as the reader's language writes it, with the exact instant kept in the markup. */
function when(at) {
  return at ? el("time", { datetime: at }, new Date(at).toLocaleString(lang)) : "";
}

function table(columns, rows) {
  return el("table", {},
    el("thead", {}, el("tr", {}, columns.map(c => el("th", { scope: "col" }, c)))),
    el("tbody", {}, rows.map(cells => el("tr", {}, cells.map(c => el("td", {}, c))))));
}

const STAGES = ["received", "eligible", "delivered", "accepted", "registered", "matched"];

async function dashboard() {
  const [funnel, dead, quarantine] = await Promise.all([api("GET", "reports/funnel"), api("GET", "dead-letters"),
    api("GET", "quarantine")]);
  const total = funnel.body.total;
  const most = Math.max(1, total.received);
  const bars = el("div", { class: "funnel", role: "list", "aria-label": t("dashboard.funnel") });
  for (const stage of STAGES) {
    const fill = el("div", { class: "fill" });
    fill.style.width = (100 * total[stage] / most).toFixed(1) + "%";
    bars.append(el("span", { role: "listitem", id: "stage-" + stage }, t("stage." + stage)),
      el("div", { class: "track", "aria-hidden": "true" }, fill), el("span", { class: "count" }, total[stage]));
  }
  const groupTable = rows => table([t("col.id")].concat(STAGES.map(s => t("stage." + s))),
    (rows || []).map(r => [r.id].concat(STAGES.map(s => r[s]))));
  page(t("dashboard.title"),
    el("p", { class: "muted" }, t("dashboard.period")),
    el("div", { class: "cards" },
      el("a", { class: "card", href: "#/dead-letters", id: "dead-letter-count" },
        el("div", { class: "figure" }, dead.body.deadLetters.length), el("div", { class: "label" }, t("dashboard.deadLetters"))),
      el("div", { class: "card", id: "quarantine-count" },
        el("div", { class: "figure" }, quarantine.body.quarantined.length), el("div", { class: "label" }, t("dashboard.quarantined"))),
      el("div", { class: "card", id: "received-count" },
        el("div", { class: "figure" }, total.received), el("div", { class: "label" }, t("stage.received")))),
    el("h2", {}, t("dashboard.funnel")), bars,
    el("h2", {}, t("dashboard.byAgency")), groupTable(funnel.body.byAgency),
    el("h2", {}, t("dashboard.byPartner")), groupTable(funnel.body.byPartner));
}

function details(object) {
  const list = el("dl", { class: "details" });
  for (const [key, value] of Object.entries(object)) {
    list.append(el("dt", {}, key), el("dd", {}, typeof value === "object" && value !== null ? JSON.stringify(value) : String(value)));
  }
  return list;
}

async function agencies(id) {
  if (id) {
    const agency = (await api("GET", "agencies/" + encodeURIComponent(id))).body;
    page(agency.name || agency.id, el("p", {}, el("a", { href: "#/agencies" }, t("back"))), details(agency));
    return;
  }
  const list = (await api("GET", "agencies")).body;
  page(t("agencies.title"), table([t("col.id"), t("col.name"), t("col.channels")],
    list.map(a => [el("a", { href: "#/agencies/" + encodeURIComponent(a.id) }, a.id), a.name || "",
      Object.keys(a.channels || {}).join(", ")])));
}

async function partners(id) {
  if (id) {
    const partner = (await api("GET", "partners/" + encodeURIComponent(id))).body;
    page(partner.name || partner.id, el("p", {}, el("a", { href: "#/partners" }, t("back"))), details(partner));
    return;
  }
  const list = (await api("GET", "partners")).body;
  page(t("partners.title"), table([t("col.id"), t("col.name"), t("col.intake"), t("col.accepting")],
    list.map(p => [el("a", { href: "#/partners/" + encodeURIComponent(p.id) }, p.id), p.name || "",
      (p.intake && p.intake.channel) || "", (p.capacity && p.capacity.accepting === false) ? t("no") : t("yes")])));
}

function timeline(referral) {
  const events = [];
  const source = referral.source || {};
  events.push([source.receivedAt, t("timeline.received") + " " + source.agencyId + " (" + (source.channel || "") + ")"]);
  if (referral.routing) events.push([referral.routing.decidedAt, t("timeline.routed") + " " + referral.routing.partnerId
    + " (" + referral.routing.ruleId + ")"]);
  for (const change of referral.statusHistory || []) {
    events.push([change.at, t("timeline.status") + ": " + change.status + (change.businessStatus ? " / " + change.businessStatus : "")
      + (change.reason ? " — " + change.reason : "") + " (" + change.by + ")"]);
  }
  for (const attempt of (referral.delivery && referral.delivery.attempts) || []) {
    events.push([attempt.at, t("timeline.attempt") + " " + attempt.number + ": " + attempt.outcome
      + (attempt.responseStatus ? " (HTTP " + attempt.responseStatus + ")" : "") + " → " + attempt.partnerId]);
  }
  events.sort((a, b) => String(a[0]).localeCompare(String(b[0])));
  return el("ol", { class: "timeline", id: "timeline" }, events.map(([at, what]) =>
    el("li", {}, when(at), " — ", what)));
}

async function referrals(id) {
  const input = el("input", { id: "referral-id", name: "referralId", required: true, value: id || "", spellcheck: "false" });
  const form = el("form", { id: "referral-form", on: { submit: event => {
    event.preventDefault();
    location.hash = "#/referrals/" + encodeURIComponent(input.value.trim());
  } } }, el("label", { for: "referral-id" }, t("referrals.lookup")), input, el("button", { type: "submit" }, t("referrals.find")));
  if (!id) { page(t("referrals.title"), form); return; }
  let answer;
  try {
    answer = await api("GET", "referrals/" + encodeURIComponent(id));
  } catch (e) {
    if (e.status === 404) { page(t("referrals.title"), form, el("p", { class: "error", role: "alert" }, t("referrals.notFound"))); return; }
    throw e;
  }
  if (answer.status === 410) { page(t("referrals.title"), form, el("p", {}, t("referrals.erased")), details(answer.body)); return; }
  const r = answer.body;
  page(t("referrals.title") + " " + r.referralId, form,
    el("dl", { class: "details" },
      el("dt", {}, t("timeline.status")), el("dd", { id: "referral-status" }, r.status + (r.businessStatus ? " / " + r.businessStatus : "")),
      el("dt", {}, t("col.partner")), el("dd", {}, r.routing ? r.routing.partnerId : "—"),
      el("dt", {}, t("col.delivery")), el("dd", { id: "delivery-state" }, r.delivery ? r.delivery.state : "—")),
    el("h2", {}, t("timeline")), timeline(r));
}

async function deadLetters() {
  const list = (await api("GET", "dead-letters")).body.deadLetters;
  const note = el("p", { class: "ok", role: "status", id: "replay-note" });
  const replay = async ids => {
    const done = (await api("POST", "dead-letters/replay", { ids })).body.replayed;
    await deadLetters();
    document.getElementById("replay-note").textContent = t("dead.replayed") + done.join(", ");
  };
  page(t("dead.title"), note, list.length === 0 ? el("p", {}, t("dead.none")) :
    table([t("col.kind"), t("col.referral"), t("col.partner"), t("col.attempts"), t("col.lastError"), t("col.when"), ""],
      list.map(d => [d.kind, el("a", { href: "#/referrals/" + encodeURIComponent(d.referralId) }, d.referralId),
        d.partnerId || d.agencyId || "", d.attempts, d.lastError || "", when(d.lastAttemptAt),
        el("button", { type: "button", class: "secondary", "data-id": d.id, on: { click: () => replay([d.id]) } }, t("dead.replay"))])));
}

async function audit() {
  const versions = (await api("GET", "config/versions?limit=50")).body.versions;
  page(t("audit.title"), table([t("col.version"), t("col.when"), t("col.by"), t("col.summary")],
    versions.map(v => [v.version, when(v.at), v.by, v.summary || ""])));
}

const VIEWS = { dashboard, agencies, partners, referrals, "dead-letters": deadLetters, audit };

async function route() {
  const [, name, id] = (location.hash.match(/^#\/([a-z-]+)(?:\/(.+))?$/) || [null, "dashboard", null]);
  const view = VIEWS[name] || dashboard;
  try {
    await view(id ? decodeURIComponent(id) : null);
  } catch (e) {
    if (e.status === 401) return;
    page(t("error").trim(), el("p", { class: "error", role: "alert" }, t("error") + e.message));
  }
}

document.addEventListener("DOMContentLoaded", () => {
  applyLanguage();
  document.getElementById("language").addEventListener("change", event => {
    lang = event.target.value;
    localStorage.setItem("console.lang", lang);
    applyLanguage();
    if (token()) route();
  });
  document.getElementById("sign-out").addEventListener("click", signOut);
  document.getElementById("sign-in-form").addEventListener("submit", async event => {
    event.preventDefault();
    const error = document.getElementById("sign-in-error");
    error.textContent = "";
    sessionStorage.setItem("console.token", document.getElementById("token").value.trim());
    try {
      await api("GET", "config/versions?limit=1");
      document.getElementById("token").value = "";
      show(true);
    } catch (e) {
      sessionStorage.removeItem("console.token");
      error.textContent = e.status === 401 ? t("signIn.refused") : t("signIn.unreachable");
    }
  });
  window.addEventListener("hashchange", () => { if (token()) route(); });
  show(Boolean(token()));
});
