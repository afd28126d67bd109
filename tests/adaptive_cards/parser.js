// Microsoft's own Adaptive Cards parser (the `adaptivecards` npm package) as a long-lived
// checker: one card per line of JSON on stdin, one line on stdout for each, a JSON list of what
// the parser reported while parsing and validating it (empty when the card is clean).
"use strict";
const readline = require("readline");
const AC = require("adaptivecards/dist/adaptivecards.js");
const teams = require("./teams_themes.json");

// Teams' own limits (six buttons in an action set, not the library default of five).
const hostConfig = new AC.HostConfig({ actions: { maxActions: teams.maxActions } });

// Teams fills a choice set whose `choices.data` is a Data.Query (its people picker) as the person
// types, so it is sent with no choices; this parser does not know that and would call it empty.
function withTeamsQueriesFilled(node) {
  if (Array.isArray(node)) return node.map(withTeamsQueriesFilled);
  if (node === null || typeof node !== "object") return node;
  const copy = Object.fromEntries(Object.entries(node).map(([key, value]) => [key, withTeamsQueriesFilled(value)]));
  const query = copy["choices.data"];
  if (copy.type === "Input.ChoiceSet" && query && query.type === "Data.Query" && !(copy.choices || []).length) {
    copy.choices = [{ title: "(filled by Teams)", value: "(filled by Teams)" }];
  }
  return copy;
}

function problems(json) {
  const card = new AC.AdaptiveCard();
  card.hostConfig = hostConfig;
  const context = new AC.SerializationContext();
  card.parse(json, context);
  const found = [];
  for (let i = 0; i < context.eventCount; i++) {
    found.push(context.getEventAt(i));
  }
  found.push(...card.validateProperties().validationEvents);
  return found.map((event) => `${AC.ValidationEvent[event.event]}: ${event.message}`);
}

const lines = readline.createInterface({ input: process.stdin, terminal: false });
lines.on("line", (line) => {
  let answer;
  try {
    answer = problems(withTeamsQueriesFilled(JSON.parse(line)));
  } catch (error) {
    answer = [`the parser failed: ${error.message}`];
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
});
