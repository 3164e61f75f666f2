// HparamSweepResult's reports for a person: BriefReport (one line) and FullReport (the table
// `scalelaw fit-hparams` prints).
#include <fmt/format.h>

#include <algorithm>

#include "scalelaw/analysis/hparam_sweep.h"
#include "util/short_number.h"

namespace scalelaw {
namespace {

using detail::ShortNumber;

std::string LrLawText(const LrLaw& law) {
  return fmt::format("lr           = {:.5g} * N^{:.5f} * D^{:.5f}", law.coef, law.exp_params, law.exp_tokens);
}

std::string BatchLawText(const BatchTokensLaw& law) {
  return fmt::format("batch_tokens = {:.5g} * D^{:.5f}", law.coef, law.exp_tokens);
}

std::string BatchLawText(const BatchTokensLawNd& law) {
  return fmt::format("batch_tokens = {:.5g} * N^{:.5f} * D^{:.5f}", law.coef, law.exp_params, law.exp_tokens);
}

}  // namespace

std::string HparamSweepResult::BriefReport() const {
  if (!IsUsable()) {
    return fmt::format("fit-hparams: NOT USABLE ({}): {}\n", AnalysisStatusName(status), message);
  }
  return fmt::format("fit-hparams: {}; {} (tokens); {} kept runs in {} cells\n", LrLawText(lr),
                     BatchLawText(batch_tokens), n_kept, n_cells);
}

std::string HparamSweepResult::FullReport() const {
  std::string out = fmt::format("Hyperparameter laws from {} runs", n_runs);
  if (!data_source.empty()) out += " of " + data_source;
  out += fmt::format(" in {} (N, D) cells\n", n_cells);
  for (const std::string& line : data_columns) out += "  " + line + "\n";
  if (data_columns.empty()) {
    out += seq_len == 1 ? std::string("  batch in tokens: as given (seq_len 1)\n")
                        : fmt::format("  batch in tokens: batch (sequences) x seq_len {}\n", ShortNumber(seq_len));
  }
  out += fmt::format("  kept {} runs within {:g}% of their cell's best loss (loss/best - 1 < {})\n\n", n_kept,
                     tolerance * 100, tolerance);
  if (!IsUsable()) {
    out += fmt::format("  status            NOT USABLE ({})\n", AnalysisStatusName(status));
    return out + fmt::format("  reason            {}\n", message);
  }

  out += fmt::format("  {:<46} {:>8}\n", "law (OLS in logs over the kept runs)", "R^2");
  out += fmt::format("  {:<46} {:>8.4f}\n", LrLawText(lr), r2_lr);
  out += fmt::format("  {:<46} {:>8.4f}\n", BatchLawText(batch_tokens), r2_batch_tokens);
  if (batch_tokens_nd.coef > 0) {
    out += fmt::format("  {:<46} {:>8.4f}   (in N and D, for comparison)\n", BatchLawText(batch_tokens_nd),
                       r2_batch_tokens_nd);
  }
  if (!lr_depends_on_params) out += "  (the LR law is in D alone: the kept runs' N hardly varies)\n";
  if (!uncertainty.empty()) {
    const double values[] = {lr.coef, lr.exp_params, lr.exp_tokens, batch_tokens.coef, batch_tokens.exp_tokens};
    out += fmt::format("\n  bootstrap: {} resamples of the kept {} (seed {}), {} failed\n", bootstrap_resamples,
                       HparamResampleName(bootstrap_unit), bootstrap_seed, bootstrap_failed);
    out += fmt::format("  {:<24} {:>11} {:>11} {:>11}   {}\n", "quantity", "estimate", "boot mean", "SE", "95% CI");
    const std::vector<std::string>& names = HparamQuantityNames();
    for (std::size_t j = 0; j < names.size(); ++j) {
      const ResampleSummary& s = uncertainty.at(names[j]);
      out += fmt::format("  {:<24} {:>11.5g} {:>11.5g} {:>11.5g}   [{:.5g}, {:.5g}]\n", names[j], values[j], s.mean,
                         s.se, s.ci95.first, s.ci95.second);
    }
  }
  const bool grouped = std::any_of(cells.begin(), cells.end(), [](const HparamCell& c) { return !c.group.empty(); });
  out += fmt::format("\n  {}{:>10} {:>10} {:>5} {:>5} {:>10} {:>10} {:>12}\n", grouped ? fmt::format("{:<12} ", "group") : "",
                     "N", "D", "runs", "kept", "best loss", "best lr", "best batch");
  for (const HparamCell& c : cells) {
    out += fmt::format("  {}{:>10} {:>10} {:>5} {:>5} {:>10.5g} {:>10} {:>12}\n",
                       grouped ? fmt::format("{:<12} ", c.group.substr(0, 12)) : "", ShortNumber(c.params),
                       ShortNumber(c.tokens), c.n_runs, c.n_kept, c.best_loss, ShortNumber(c.best_lr),
                       ShortNumber(c.best_batch_tokens));
  }
  return out + "  (best batch in tokens)\n";
}

}  // namespace scalelaw
