#include <pgfns/migration_plan.hpp>

#include "common/sql_text.hpp"

#include <algorithm>
#include <stdexcept>

namespace pgfns {
namespace {

function_definition from_method(const method& m, int version) {
  return {m.name, m.args, m.returns, m.body, version};
}

std::string online_defined_by(const std::optional<std::string>& script, bool downgrade,
                              int version) {
  const auto operation = detail::online_operation(downgrade, version);
  return script && script->find(operation + "_batch") != std::string::npos ? operation : "";
}

plan_step upgrade_step(const version& v, std::string_view prefix) {
  plan_step step;
  step.version = v.number;
  step.description = v.description;
  if (v.migration_script) step.script = detail::substitute_prefix(*v.migration_script, prefix);
  step.online = online_defined_by(step.script, false, v.number);
  for (const auto& m : v.methods) {
    if (!m.stub) step.define.push_back(from_method(m, v.number));
  }
  return step;
}

plan_step downgrade_step(const schema& s, const version& v, std::string_view prefix) {
  plan_step step;
  step.version = v.number;
  step.downgrade = true;
  step.description = v.description;
  if (v.downgrade_script) step.script = detail::substitute_prefix(*v.downgrade_script, prefix);
  step.online = online_defined_by(step.script, true, v.number);
  const auto before = v.number > 1 ? s.all_methods(v.number - 1) : std::vector<resolved_method>{};
  for (const auto& m : v.methods) {
    // A stub changed nothing in the database, so undoing it changes nothing either.
    if (m.stub) continue;
    const auto it = std::lower_bound(
        before.begin(), before.end(), m.name,
        [](const resolved_method& r, const std::string& name) { return r.definition.name < name; });
    if (it != before.end() && it->definition.name == m.name) {
      step.define.push_back(from_method(it->definition, it->defined_in));
    } else {
      step.drop.push_back({m.name, m.args});
    }
  }
  return step;
}

void append_indented(std::string& out, std::string_view text, std::string_view indent) {
  while (!text.empty()) {
    const auto nl = text.find('\n');
    out += indent;
    out += text.substr(0, nl);
    out += '\n';
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
}

}  // namespace

std::vector<plan_step> plan_steps(const schema& s, int from, int to, std::string_view prefix) {
  const int latest = s.latest_version();
  if (from < 0 || from > latest || to < 0 || to > latest) {
    throw std::invalid_argument("versions " + std::to_string(from) + " -> " + std::to_string(to) +
                                " are outside this schema's range 0.." + std::to_string(latest));
  }
  std::vector<plan_step> steps;
  for (int v = from + 1; v <= to; ++v) steps.push_back(upgrade_step(*s.find_version(v), prefix));
  for (int v = from; v > to; --v) steps.push_back(downgrade_step(s, *s.find_version(v), prefix));
  return steps;
}

std::string to_string(const migration_plan& plan) {
  std::string out = "database at version " + std::to_string(plan.from_version);
  if (plan.steps.empty() && plan.resume_online.empty()) {
    out += ": nothing to do\n";
  } else {
    out += ", target version " + std::to_string(plan.to_version) + "\n";
  }
  for (const auto& user : plan.create_users) out += "create user " + user + "\n";
  for (const auto& online : plan.resume_online) out += "resume " + online + "\n";
  for (const auto& step : plan.steps) {
    out += (step.downgrade ? "downgrade version " : "upgrade to version ") +
           std::to_string(step.version) + ": " + detail::one_line(step.description) + "\n";
    if (step.script) {
      out += step.downgrade ? "  downgrade script:\n" : "  migration script:\n";
      append_indented(out, *step.script, "    ");
    }
    for (const auto& f : step.define) {
      out += "  define " + f.name + "(" + f.args + ") returns " + f.returns;
      if (step.downgrade) out += " (as of version " + std::to_string(f.defined_in) + ")";
      out += "\n";
    }
    for (const auto& f : step.drop) out += "  drop " + f.name + "(" + f.args + ")\n";
    if (!step.online.empty()) out += "  then " + step.online + " in batches until complete\n";
  }
  return out;
}

}  // namespace pgfns
