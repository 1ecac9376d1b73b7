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
    "error": "Something went wrong: ", "nav.routing": "Routing",
    "col.capacity": "Capacity", "new.agency": "New agency", "new.partner": "New partner", "field.id": "Id",
    "field.name": "Name", "field.program": "Program", "field.intakeChannel": "Intake channel",
    "field.intakeUrl": "Webhook URL (or FHIR base URL)", "field.more": "More settings (JSON, optional)", "create": "Create",
    "created": "Created.", "refused": "Refused:", "edit": "Change", "edit.help":
      "A JSON merge patch: only the fields you give change (null removes one).", "save": "Save changes", "saved": "Saved.",
    "keys.rotate": "Rotate API keys", "keys.shown": "Shown this once — copy it now:", "secret.rotate": "Rotate signing secret",
    "capacity.label": "Capacity", "capacity.accepting": "accepting", "capacity.waitlist": "waitlist", "capacity.full": "full",
    "routing.title": "Routing rules", "routing.order": "First match wins, top to bottom.", "up": "Move up", "down": "Move down",
    "routing.fallback": "Fallback partner: ", "new.rule": "New rule", "field.agencies": "Agencies (comma-separated)",
    "field.postal": "Postal-code prefixes (comma-separated)", "field.partner": "Partner", "field.position": "Position (0 is first)",
    "what.title": "What would happen", "what.help": "Paste or upload a sample; nothing is stored or sent.",
    "field.agency": "Agency", "field.channel": "Channel", "field.sample": "Sample", "field.file": "or a file",
    "what.run": "Try it", "col.where": "Where", "col.outcome": "Outcome", "col.rule": "Rule", "col.reasons": "Reasons",
    "what.counts": "would be accepted: ", "what.refused": ", refused: ", "restore": "Restore", "restored": "Restored as version ",
    "changes": "Changes", "dashboard.today": "Referrals today", "dashboard.week": "This week", "dashboard.stale":
      "Waiting too long for their partner", "dashboard.paused": "Partners paused (endpoint gone)", "search.title": "Search", "field.status": "Status", "field.from": "From",
    "field.to": "To", "any": "any", "search.run": "Search", "search.found": "Found: ", "search.more": " (showing the newest)",
    "raw.download": "Download the raw payload", "col.received": "Received", "col.channel": "Channel",
    "quarantine.title": "Quarantined inputs", "quarantine.help":
      "Messages and files the hub could not take (a sender not allowed, rows a mapping refused). Fix the cause, then replay.",
    "col.receipt": "Receipt", "col.reason": "Reason", "col.detail": "Detail", "quarantine.replayed": "Replayed: "
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
    "col.summary": "Changement", "error": "Une erreur est survenue : ", "nav.routing": "Acheminement",
    "col.capacity": "Capacité", "new.agency": "Nouvel organisme", "new.partner": "Nouveau partenaire", "field.id": "Identifiant",
    "field.name": "Nom", "field.program": "Programme", "field.intakeChannel": "Canal de réception",
    "field.intakeUrl": "URL du webhook (ou base FHIR)", "field.more": "Autres réglages (JSON, facultatif)", "create": "Créer",
    "created": "Créé.", "refused": "Refusé :", "edit": "Modifier", "edit.help":
      "Un correctif JSON (merge patch) : seuls les champs donnés changent (null en retire un).", "save": "Enregistrer",
    "saved": "Enregistré.", "keys.rotate": "Renouveler les clés d’API", "keys.shown": "Affiché une seule fois — copiez-le maintenant :",
    "secret.rotate": "Renouveler le secret de signature", "capacity.label": "Capacité", "capacity.accepting": "accepte",
    "capacity.waitlist": "liste d’attente", "capacity.full": "complet", "routing.title": "Règles d’acheminement",
    "routing.order": "La première règle qui s’applique l’emporte, de haut en bas.", "up": "Monter", "down": "Descendre",
    "routing.fallback": "Partenaire par défaut : ", "new.rule": "Nouvelle règle",
    "field.agencies": "Organismes (séparés par des virgules)", "field.postal": "Préfixes de code postal (séparés par des virgules)",
    "field.partner": "Partenaire", "field.position": "Position (0 est la première)", "what.title": "Que se passerait-il ?",
    "what.help": "Collez ou téléversez un échantillon ; rien n’est enregistré ni envoyé.", "field.agency": "Organisme",
    "field.channel": "Canal", "field.sample": "Échantillon", "field.file": "ou un fichier", "what.run": "Essayer",
    "col.where": "Où", "col.outcome": "Résultat", "col.rule": "Règle", "col.reasons": "Raisons",
    "what.counts": "seraient acceptées : ", "what.refused": ", refusées : ", "restore": "Rétablir",
    "restored": "Rétablie comme version ", "changes": "Changements", "dashboard.today": "Références aujourd’hui",
    "dashboard.week": "Cette semaine", "dashboard.stale": "Sans réponse du partenaire depuis trop longtemps",
    "dashboard.paused": "Partenaires en pause (adresse disparue)",
    "search.title": "Recherche", "field.status": "Statut", "field.from": "Du", "field.to": "Au", "any": "tous",
    "search.run": "Chercher", "search.found": "Trouvées : ", "search.more": " (les plus récentes)",
    "raw.download": "Télécharger les données reçues", "col.received": "Reçue", "col.channel": "Canal",
    "quarantine.title": "Entrées en quarantaine", "quarantine.help":
      "Messages et fichiers que le carrefour n’a pu prendre (expéditeur non autorisé, lignes refusées). Corrigez la cause, puis relancez.",
    "col.receipt": "Reçu", "col.reason": "Raison", "col.detail": "Détail", "quarantine.replayed": "Relancé : "
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
  // the console's door to the admin API: the same API, signed in with the administrator's token (in AWS too)
  const response = await fetch("/console/api/" + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (response.status === 401) { signOut(); throw new ApiError(401, json); }
  if (!response.ok && response.status !== 410) throw new ApiError(response.status, json);
  // a change's answer names the configuration version it made in its ETag
  const etag = response.headers.get("ETag");
  return { status: response.status, body: json, version: etag ? Number(etag.replace(/"/g, "")) : null };
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


/** What the API said when it refused: its detail, every problem and every field error, one a line. */
function refusal(e) {
  const p = e.problem || {};
  return [p.detail || e.message].concat(p.problems || [], (p.errors || []).map(x => x.field + ": " + x.message));
}

/** Puts an outcome in a live region: a line, or the lines of a refusal. */
function say(box, ok, lines) {
  box.replaceChildren(el("p", { class: ok ? "ok" : "error" }, ok ? "" : t("refused")),
    ...(Array.isArray(lines) ? lines : [lines]).map(line => el("p", { class: ok ? "ok" : "error" }, line)));
}

function outcome(id) {
  return el("div", { id, role: "status", "aria-live": "polite" });
}

/** A labelled control: the label names the field, for every reader. */
function field(id, label, control) {
  control.id = id;
  control.name = id;
  return el("div", { class: "field" }, el("label", { for: id }, label), control);
}

const list = text => (text || "").split(",").map(x => x.trim()).filter(Boolean);

/** A one-time secret the API just made: shown here once, never again. */
function secretShown(box, secrets) {
  const lines = Object.entries(secrets || {}).filter(([k]) => k !== "note").map(([k, v]) => el("p", {}, k + ": ",
    el("code", { class: "secret" }, v)));
  box.replaceChildren(el("p", { class: "ok" }, t("keys.shown")), ...lines);
}

/** The change form of an agency or partner: a JSON merge patch, answered with the API's own messages. */
function changeForm(kind, id, resource) {
  const box = outcome("change-outcome");
  const text = el("textarea", { rows: 6, spellcheck: "false" });
  text.value = JSON.stringify({ name: resource.name }, null, 2);
  const form = el("form", { id: "change-form", on: { submit: async event => {
    event.preventDefault();
    let patch;
    try { patch = JSON.parse(text.value); } catch (e) { say(box, false, [e.message]); return; }
    try {
      await api("PATCH", kind + "/" + encodeURIComponent(id), patch);
      say(box, true, t("saved"));
    } catch (e) { if (e.status !== 401) say(box, false, refusal(e)); }
  } } }, el("h2", {}, t("edit")), el("p", { class: "muted" }, t("edit.help")), field("change", t("edit"), text),
    el("button", { type: "submit" }, t("save")), box);
  return form;
}

function keyButtons(kind, id) {
  const box = outcome("secret-outcome");
  const rotate = el("button", { type: "button", id: "rotate-keys", on: { click: async () => {
    try { secretShown(box, (await api("POST", kind + "/" + encodeURIComponent(id) + "/keys/rotate")).body.secrets); }
    catch (e) { if (e.status !== 401) say(box, false, refusal(e)); }
  } } }, t("keys.rotate"));
  const buttons = [rotate];
  if (kind === "partners") {
    buttons.push(el("button", { type: "button", id: "rotate-secret", class: "secondary", on: { click: async () => {
      try { secretShown(box, (await api("POST", "partners/" + encodeURIComponent(id) + "/signing-secret/rotate")).body.secrets); }
      catch (e) { if (e.status !== 401) say(box, false, refusal(e)); }
    } } }, t("secret.rotate")));
  }
  return el("div", { class: "actions" }, ...buttons, box);
}

/** The "new agency" / "new partner" form: the main fields, and any other settings as JSON. */
function createForm(kind, fields, build) {
  const box = outcome("create-outcome");
  const more = el("textarea", { rows: 4, spellcheck: "false" });
  const form = el("form", { id: "create-" + kind, on: { submit: async event => {
    event.preventDefault();
    let extra = {};
    try { extra = more.value.trim() ? JSON.parse(more.value) : {}; } catch (e) { say(box, false, [e.message]); return; }
    const body = Object.assign(build(), extra);
    try {
      const answer = await api("POST", kind, body);
      say(box, true, t("created"));
      if (answer.body && answer.body.secrets) secretShown(box, answer.body.secrets);
      const link = el("a", { href: "#/" + kind + "/" + encodeURIComponent(body.id) }, body.id);
      box.append(el("p", {}, link));
    } catch (e) { if (e.status !== 401) say(box, false, refusal(e)); }
  } } }, ...fields, field(kind + "-more", t("field.more"), more), el("button", { type: "submit" }, t("create")), box);
  return form;
}

const STAGES = ["received", "eligible", "delivered", "accepted", "registered", "matched"];

async function dashboard() {
  const [funnel, dead, quarantine, activity] = await Promise.all([api("GET", "reports/funnel"), api("GET", "dead-letters"),
    api("GET", "quarantine"), api("GET", "reports/activity")]);
  const act = activity.body;
  const byChannel = counts => Object.entries(counts.byChannel).map(([c, n]) => c + " " + n).join(" · ") || "—";
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
    el("div", { class: "cards" },
      el("div", { class: "card", id: "today-count" }, el("div", { class: "figure" }, act.today.total),
        el("div", { class: "label" }, t("dashboard.today")), el("div", { class: "muted" }, byChannel(act.today))),
      el("div", { class: "card", id: "week-count" }, el("div", { class: "figure" }, act.thisWeek.total),
        el("div", { class: "label" }, t("dashboard.week")), el("div", { class: "muted" }, byChannel(act.thisWeek))),
      el("div", { class: "card", id: "stale-count" }, el("div", { class: "figure" }, act.stale),
        el("div", { class: "label" }, t("dashboard.stale")),
        el("ul", { class: "muted" }, act.staleReferrals.slice(0, 5).map(r => el("li", {},
          el("a", { href: "#/referrals/" + encodeURIComponent(r.referralId) }, r.referralId), " → " + r.partnerId)))),
      el("div", { class: "card", id: "paused-count" },
        el("div", { class: "figure" }, Object.keys(act.pausedPartners || {}).length),
        el("div", { class: "label" }, t("dashboard.paused")),
        el("ul", { class: "muted" }, Object.entries(act.pausedPartners || {}).map(([id, p]) => el("li", {},
          el("a", { href: "#/partners/" + encodeURIComponent(id) }, id), " — " + p.since))))),
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
    page(agency.name || agency.id, el("p", {}, el("a", { href: "#/agencies" }, t("back"))), details(agency),
      keyButtons("agencies", agency.id), changeForm("agencies", agency.id, agency));
    return;
  }
  const [agencyList, programs] = [(await api("GET", "agencies")).body, (await api("GET", "programs")).body];
  const idInput = el("input", { required: true, pattern: "[a-z0-9-]+", autocomplete: "off" });
  const nameInput = el("input", { required: true });
  const program = el("select", {}, programs.map(p => el("option", { value: p.id }, p.name || p.id)));
  page(t("agencies.title"),
    table([t("col.id"), t("col.name"), t("field.program")],
      agencyList.map(a => [el("a", { href: "#/agencies/" + encodeURIComponent(a.id) }, a.id), a.name || "", a.program || ""])),
    el("h2", {}, t("new.agency")),
    createForm("agencies", [field("agency-id", t("field.id"), idInput), field("agency-name", t("field.name"), nameInput),
      field("agency-program", t("field.program"), program)],
      () => ({ id: idInput.value.trim(), name: nameInput.value.trim(), program: program.value })));
}

function capacityForm(partner) {
  const box = outcome("capacity-outcome");
  const status = el("select", {}, ["accepting", "waitlist", "full"].map(v =>
    el("option", { value: v, selected: (partner.capacity && partner.capacity.status) === v }, t("capacity." + v))));
  return el("form", { id: "capacity-form", on: { submit: async event => {
    event.preventDefault();
    try {
      await api("PATCH", "partners/" + encodeURIComponent(partner.id), { capacity: { status: status.value } });
      say(box, true, t("saved"));
    } catch (e) { if (e.status !== 401) say(box, false, refusal(e)); }
  } } }, field("capacity", t("capacity.label"), status), el("button", { type: "submit" }, t("save")), box);
}

async function partners(id) {
  if (id) {
    const partner = (await api("GET", "partners/" + encodeURIComponent(id))).body;
    page(partner.name || partner.id, el("p", {}, el("a", { href: "#/partners" }, t("back"))), capacityForm(partner),
      details(partner), keyButtons("partners", partner.id), changeForm("partners", partner.id, partner));
    return;
  }
  const partnerList = (await api("GET", "partners")).body;
  const idInput = el("input", { required: true, pattern: "[a-z0-9-]+", autocomplete: "off" });
  const nameInput = el("input", { required: true });
  const channel = el("select", {}, ["webhook", "email", "sftp", "fhir"].map(v => el("option", { value: v }, v)));
  const url = el("input", { type: "url" });
  page(t("partners.title"),
    table([t("col.id"), t("col.name"), t("col.intake"), t("col.capacity")],
      partnerList.map(p => [el("a", { href: "#/partners/" + encodeURIComponent(p.id) }, p.id), p.name || "",
        (p.intake && p.intake.channel) || "", t("capacity." + ((p.capacity && p.capacity.status) || "accepting"))])),
    el("h2", {}, t("new.partner")),
    createForm("partners", [field("partner-id", t("field.id"), idInput), field("partner-name", t("field.name"), nameInput),
      field("partner-channel", t("field.intakeChannel"), channel), field("partner-url", t("field.intakeUrl"), url)],
      () => ({ id: idInput.value.trim(), name: nameInput.value.trim(),
        intake: channel.value === "webhook" ? { channel: "webhook", url: url.value.trim() }
          : channel.value === "fhir" ? { channel: "fhir", baseUrl: url.value.trim() } : { channel: channel.value } })));
}

function ruleText(rule) {
  const when = [];
  if (rule.agencies) when.push("agencies " + rule.agencies.join(", "));
  if (rule.postalPrefixes) when.push("postal " + rule.postalPrefixes.join(", "));
  if (rule.occupationCodes) when.push("occupations " + rule.occupationCodes.join(", "));
  if (rule.sectors) when.push("sectors " + rule.sectors.join(", "));
  if (rule.languages) when.push("languages " + rule.languages.join(", "));
  const to = rule.partner || (rule.partners || []).join(" / ") + (rule.strategy ? " (" + rule.strategy + ")" : "");
  return rule.id + ": " + (when.join("; ") || "any") + " → " + to;
}

async function routing() {
  const [table_, agencyList, partnerList] = [(await api("GET", "routing")).body, (await api("GET", "agencies")).body,
    (await api("GET", "partners")).body];
  const rules = table_.rules || [];
  const box = outcome("routing-outcome");
  const move = async (ruleId, position) => {
    try { await api("POST", "routing/rules/" + encodeURIComponent(ruleId) + "/move", { position }); await routing(); }
    catch (e) { if (e.status !== 401) say(document.getElementById("routing-outcome"), false, refusal(e)); }
  };
  const ordered = el("ol", { id: "rules" }, rules.map((rule, i) => el("li", { "data-rule": rule.id },
    el("span", {}, ruleText(rule)), " ",
    el("button", { type: "button", class: "secondary", disabled: i === 0, "aria-label": t("up") + " " + rule.id,
      on: { click: () => move(rule.id, i - 1) } }, "↑"),
    el("button", { type: "button", class: "secondary", disabled: i === rules.length - 1, "aria-label": t("down") + " " + rule.id,
      on: { click: () => move(rule.id, i + 1) } }, "↓"))));

  const ruleId = el("input", { required: true, pattern: "[a-z0-9-]+", autocomplete: "off" });
  const agencies = el("input", {});
  const postal = el("input", {});
  const partner = el("select", {}, partnerList.map(p => el("option", { value: p.id }, p.id)));
  const position = el("input", { type: "number", min: 0, value: 0 });
  const ruleForm = el("form", { id: "rule-form", on: { submit: async event => {
    event.preventDefault();
    const rule = { id: ruleId.value.trim(), partner: partner.value, position: Number(position.value) };
    if (list(agencies.value).length) rule.agencies = list(agencies.value);
    if (list(postal.value).length) rule.postalPrefixes = list(postal.value);
    try { await api("POST", "routing/rules", rule); await routing(); say(document.getElementById("routing-outcome"), true, t("created")); }
    catch (e) { if (e.status !== 401) say(box, false, refusal(e)); }
  } } }, field("rule-id", t("field.id"), ruleId), field("rule-agencies", t("field.agencies"), agencies),
    field("rule-postal", t("field.postal"), postal), field("rule-partner", t("field.partner"), partner),
    field("rule-position", t("field.position"), position), el("button", { type: "submit" }, t("create")));

  page(t("routing.title"), el("p", { class: "muted" }, t("routing.order")), ordered,
    el("p", {}, t("routing.fallback") + (table_.fallbackPartner || "—")), box,
    el("h2", {}, t("new.rule")), ruleForm, whatWouldHappen(agencyList));
}

/** The sandbox: a sample through mapping, validation, screening and routing, nothing stored or sent. */
function whatWouldHappen(agencyList) {
  const agency = el("select", {}, agencyList.map(a => el("option", { value: a.id }, a.id)));
  const channel = el("select", {}, ["webhook", "file", "email", "fhir"].map(v => el("option", { value: v }, v)));
  const sample = el("textarea", { rows: 8, spellcheck: "false" });
  const file = el("input", { type: "file", accept: ".json,.csv,.xlsx,.eml,.txt" });
  const results = el("div", { id: "sandbox-results", "aria-live": "polite" });
  const form = el("form", { id: "sandbox-form", on: { submit: async event => {
    event.preventDefault();
    const request = { agencyId: agency.value, channel: channel.value };
    const chosen = file.files && file.files[0];
    if (chosen) {
      const bytes = new Uint8Array(await chosen.arrayBuffer());
      let binary = "";
      bytes.forEach(b => { binary += String.fromCharCode(b); });
      request.contentBase64 = btoa(binary);
      request.fileName = chosen.name;
    } else {
      request.content = sample.value;
      if (channel.value === "file") request.fileName = "sample.csv";
    }
    try {
      const r = (await api("POST", "sandbox", request)).body;
      results.replaceChildren(el("p", { id: "sandbox-counts" }, t("what.counts") + r.accepted + t("what.refused") + r.rejected),
        table([t("col.where"), t("col.outcome"), t("col.partner"), t("col.rule"), t("col.reasons")],
          (r.referrals || []).map(item => {
            const ref = item.referral || {};
            const reasons = (item.errors || []).map(x => x.field + ": " + x.message)
              .concat(((ref.screening && ref.screening.reasons) || []).map(x => x.message || x.code || JSON.stringify(x)));
            return [item.where, ref.status || (item.errors ? "refused" : ""), ref.routing ? ref.routing.partnerId : "",
              ref.routing ? ref.routing.ruleId : "", reasons.join("; ")];
          })));
    } catch (e) { if (e.status !== 401) say(results, false, refusal(e)); }
  } } }, field("sandbox-agency", t("field.agency"), agency), field("sandbox-channel", t("field.channel"), channel),
    field("sandbox-sample", t("field.sample"), sample), field("sandbox-file", t("field.file"), file),
    el("button", { type: "submit" }, t("what.run")));
  return el("section", { "aria-labelledby": "what-title" }, el("h2", { id: "what-title" }, t("what.title")),
    el("p", { class: "muted" }, t("what.help")), form, results);
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
  if (!id) { page(t("referrals.title"), form, await searchPanel()); return; }
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
    el("h2", {}, t("timeline")), timeline(r), rawDownload(r.referralId));
}

/** The archived payload, for administrators: fetched through the admin API, saved by the browser as a file. */
function rawDownload(referralId) {
  const box = outcome("raw-outcome");
  return el("div", { class: "actions" }, el("button", { type: "button", id: "raw-download", class: "secondary", on: { click: async () => {
    try {
      const raw = (await api("GET", "referrals/" + encodeURIComponent(referralId) + "/raw")).body;
      const bytes = Uint8Array.from(atob(raw.contentBase64), c => c.charCodeAt(0));
      const link = el("a", { href: URL.createObjectURL(new Blob([bytes])), download: raw.fileName, id: "raw-link" }, raw.fileName);
      box.replaceChildren(el("p", {}, link, " (" + raw.size + " bytes)"));
      link.click();
    } catch (e) { if (e.status !== 401) say(box, false, refusal(e)); }
  } } }, t("raw.download")), box);
}

async function searchPanel() {
  const [agencyList, partnerList] = [(await api("GET", "agencies")).body, (await api("GET", "partners")).body];
  const anyOption = () => el("option", { value: "" }, t("any"));
  const agency = el("select", {}, anyOption(), agencyList.map(a => el("option", { value: a.id }, a.id)));
  const partner = el("select", {}, anyOption(), partnerList.map(p => el("option", { value: p.id }, p.id)));
  const status = el("select", {}, anyOption(), ["requested", "accepted", "rejected", "in-progress", "on-hold", "completed",
    "cancelled", "failed"].map(v => el("option", { value: v }, v)));
  const from = el("input", { type: "date" });
  const to = el("input", { type: "date" });
  const results = el("div", { id: "search-results", "aria-live": "polite" });
  const form = el("form", { id: "search-form", on: { submit: async event => {
    event.preventDefault();
    const query = new URLSearchParams({ limit: "100" });
    if (agency.value) query.set("agency", agency.value);
    if (partner.value) query.set("partner", partner.value);
    if (status.value) query.set("status", status.value);
    if (from.value) query.set("from", from.value);
    if (to.value) query.set("to", to.value + "T23:59:59Z");
    try {
      const found = (await api("GET", "referrals?" + query)).body;
      results.replaceChildren(el("p", { id: "search-count" }, t("search.found") + found.matched + (found.more ? t("search.more") : "")),
        table([t("col.referral"), t("col.received"), t("field.agency"), t("col.channel"), t("col.partner"), t("field.status"),
          t("col.delivery")], found.referrals.map(r => [el("a", { href: "#/referrals/" + encodeURIComponent(r.referralId) }, r.referralId),
          when(r.receivedAt), r.agencyId, r.channel || "", r.partnerId || "", r.status + (r.businessStatus ? " / " + r.businessStatus : ""),
          r.deliveryState || ""])));
    } catch (e) { if (e.status !== 401) say(results, false, refusal(e)); }
  } } }, field("search-agency", t("field.agency"), agency), field("search-partner", t("col.partner"), partner),
    field("search-status", t("field.status"), status), field("search-from", t("field.from"), from),
    field("search-to", t("field.to"), to), el("button", { type: "submit" }, t("search.run")));
  return el("section", { "aria-labelledby": "search-title" }, el("h2", { id: "search-title" }, t("search.title")), form, results);
}

async function deadLetters() {
  const list = (await api("GET", "dead-letters")).body.deadLetters;
  const note = el("p", { class: "ok", role: "status", id: "replay-note" });
  const replay = async ids => {
    const done = (await api("POST", "dead-letters/replay", { ids })).body.replayed;
    await deadLetters();
    document.getElementById("replay-note").textContent = t("dead.replayed") + done.join(", ");
  };
  const quarantined = (await api("GET", "quarantine")).body.quarantined;
  const quarantineNote = outcome("quarantine-note");
  const replayInput = async receipt => {
    try {
      const what = (await api("POST", "quarantine/" + encodeURIComponent(receipt) + "/replay")).body;
      await deadLetters();
      say(document.getElementById("quarantine-note"), true, t("quarantine.replayed") + receipt + " — "
        + (what.outcome || what.reason || JSON.stringify(what)));
    } catch (e) { if (e.status !== 401) say(document.getElementById("quarantine-note"), false, refusal(e)); }
  };
  const quarantineSection = el("section", { "aria-labelledby": "quarantine-title" },
    el("h2", { id: "quarantine-title" }, t("quarantine.title")), el("p", { class: "muted" }, t("quarantine.help")),
    quarantineNote, quarantined.length === 0 ? el("p", { id: "quarantine-empty" }, t("dead.none")) :
      table([t("col.receipt"), t("col.channel"), t("field.agency"), t("col.reason"), t("col.detail"), t("col.when"), ""],
        quarantined.map(q => [q.receiptId, q.channel, q.agencyId || "", q.reason, q.detail || "", when(q.at),
          el("button", { type: "button", class: "secondary", "data-receipt": q.receiptId,
            on: { click: () => replayInput(q.receiptId) } }, t("dead.replay"))])));
  page(t("dead.title"), note, list.length === 0 ? el("p", {}, t("dead.none")) :
    table([t("col.kind"), t("col.referral"), t("col.partner"), t("col.attempts"), t("col.lastError"), t("col.when"), ""],
      list.map(d => [d.kind, el("a", { href: "#/referrals/" + encodeURIComponent(d.referralId) }, d.referralId),
        d.partnerId || d.agencyId || "", d.attempts, d.lastError || "", when(d.lastAttemptAt),
        el("button", { type: "button", class: "secondary", "data-id": d.id, on: { click: () => replay([d.id]) } }, t("dead.replay"))])),
    quarantineSection);
}

function changeLines(changes) {
  return el("ul", { class: "changes" }, (changes || []).map(c => el("li", {},
    el("code", {}, c.op + " " + c.path), c.secret ? " (secret)" : "",
    c.from !== undefined ? el("span", { class: "from" }, " − " + JSON.stringify(c.from)) : "",
    c.to !== undefined ? el("span", { class: "to" }, " + " + JSON.stringify(c.to)) : "")));
}

async function audit() {
  const versions = (await api("GET", "config/versions?limit=50")).body.versions;
  const box = outcome("restore-outcome");
  page(t("audit.title"), box, table([t("col.version"), t("col.when"), t("col.by"), t("col.summary"), t("changes"), ""],
    versions.map((v, i) => [v.version, when(v.at), v.by, v.summary || "", changeLines(v.changes),
      i === 0 ? "" : el("button", { type: "button", class: "secondary", "data-version": v.version, on: { click: async () => {
        try {
          const restored = await api("POST", "config/versions/" + v.version + "/restore");
          await audit();
          say(document.getElementById("restore-outcome"), true, t("restored") + restored.version);
        } catch (e) { if (e.status !== 401) say(document.getElementById("restore-outcome"), false, refusal(e)); }
      } } }, t("restore") + " " + v.version)])));
}

const VIEWS = { dashboard, agencies, partners, routing, referrals, "dead-letters": deadLetters, audit };

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
