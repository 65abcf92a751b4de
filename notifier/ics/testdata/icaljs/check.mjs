// check.mjs: what Mozilla's ical.js (the parser of Thunderbird) reads in iCalendar objects.
//
//   node check.mjs < invite.ics           one object in, one JSON report out
//   node check.mjs --batch < objects.json a JSON array of objects in, an array of reports out
//
// A report is {"ok": true, "method": ..., "calendar": {...}, "events": [...]} or
// {"ok": false, "error": "..."} when ical.js refuses the text. Every value is what ical.js
// made of the text (its types, its unescaping, its time zones), never a re-reading of the
// raw lines: the Go tests (notifier/ics/icaljstest) assert on this, so that Plenary's
// calendar output is judged by a parser nobody on the project wrote.
//
// The version of ical.js is pinned in package-lock.json; `npm ci` in this directory
// installs it.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

function time(prop) {
  if (!prop) return null;
  const t = prop.getFirstValue();
  if (!t || typeof t.toJSDate !== "function") {
    return { error: `not a date-time: ${JSON.stringify(prop.toJSON())}` };
  }
  return {
    value: t.toString(),
    type: prop.type,
    is_date: t.isDate,
    // "UTC" for a value ending in Z, the TZID parameter for a zoned one, "floating" else.
    zone: t.zone ? t.zone.tzid : null,
    tzid: prop.getParameter("tzid") ?? null,
    utc: t.zone && t.zone.tzid === "UTC" ? t.toJSDate().toISOString() : null,
  };
}

function address(prop) {
  const params = {};
  for (const [k, v] of Object.entries(prop.toJSON()[1])) params[k] = v;
  return {
    value: prop.getFirstValue(),
    cn: prop.getParameter("cn") ?? null,
    partstat: prop.getParameter("partstat") ?? null,
    rsvp: prop.getParameter("rsvp") ?? null,
    role: prop.getParameter("role") ?? null,
    cutype: prop.getParameter("cutype") ?? null,
    params,
  };
}

function text(comp, name) {
  const prop = comp.getFirstProperty(name);
  if (!prop) return null;
  return { value: prop.getFirstValue(), language: prop.getParameter("language") ?? null };
}

function event(vevent) {
  const seq = vevent.getFirstProperty("sequence");
  const url = vevent.getFirstProperty("url");
  const organizer = vevent.getFirstProperty("organizer");
  return {
    uid: vevent.getFirstPropertyValue("uid"),
    sequence: seq ? seq.getFirstValue() : null,
    sequence_type: seq ? seq.type : null,
    status: vevent.getFirstPropertyValue("status"),
    transp: vevent.getFirstPropertyValue("transp"),
    summary: text(vevent, "summary"),
    description: text(vevent, "description"),
    location: text(vevent, "location"),
    url: url ? url.getFirstValue() : null,
    url_type: url ? url.type : null,
    dtstamp: time(vevent.getFirstProperty("dtstamp")),
    dtstart: time(vevent.getFirstProperty("dtstart")),
    dtend: time(vevent.getFirstProperty("dtend")),
    organizer: organizer ? address(organizer) : null,
    attendees: vevent.getAllProperties("attendee").map(address),
    // ical.js's own model of the event, as a calendar client builds it.
    model: (() => {
      const e = new ICAL.Event(vevent);
      return {
        uid: e.uid,
        summary: e.summary,
        description: e.description,
        sequence: e.sequence,
        start: e.startDate ? e.startDate.toJSDate().toISOString() : null,
        end: e.endDate ? e.endDate.toJSDate().toISOString() : null,
        duration_seconds: e.duration ? e.duration.toSeconds() : null,
      };
    })(),
  };
}

function report(src) {
  try {
    const comp = new ICAL.Component(ICAL.parse(src));
    if (comp.name !== "vcalendar") return { ok: false, error: `top component is ${comp.name}, not vcalendar` };
    return {
      ok: true,
      method: comp.getFirstPropertyValue("method"),
      calendar: {
        version: comp.getFirstPropertyValue("version"),
        prodid: comp.getFirstPropertyValue("prodid"),
        calscale: comp.getFirstPropertyValue("calscale"),
        name: comp.getFirstPropertyValue("name") ?? comp.getFirstPropertyValue("x-wr-calname"),
        refresh_interval: comp.getFirstProperty("refresh-interval")?.getFirstValue()?.toString() ?? null,
        components: comp.getAllSubcomponents().map((c) => c.name),
      },
      events: comp.getAllSubcomponents("vevent").map(event),
    };
  } catch (e) {
    return { ok: false, error: String(e && e.message ? e.message : e) };
  }
}

const input = readFileSync(0, "utf8");
if (process.argv.includes("--batch")) {
  const objects = JSON.parse(input);
  process.stdout.write(JSON.stringify(objects.map(report)));
} else {
  process.stdout.write(JSON.stringify(report(input)));
}
process.stdout.write("\n");
