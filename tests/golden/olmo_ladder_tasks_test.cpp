// Ladder to benchmark (Bhagia et al. 2024, arXiv:2412.04403, Sec. 3-4): from the 190M-1.3B OLMo ladder, the 13B-5T
// model's task loss (step 1), its accuracy from its actual task loss (step 2) and from the predicted one (chained),
// for the paper's 8 main tasks. The expected values are the rows of the paper's released tables
// (src/scripts/paper/figures/step1_main.csv, step2_main.csv, chained_main.csv of github.com/allenai/OLMo-ladder,
// quoted verbatim in ../shared/data/olmo-ladder/SOURCE.txt).
#include "support/olmo_ladder_tasks.h"

#include <catch2/catch.hpp>
#include <cmath>

#include "scalelaw/analysis/ladder.h"

using namespace scalelaw;
using namespace scalelaw::testing;

namespace {

struct Published {
  const char* task;
  double step1_actual, step1_pred, step1_fit_error;
  double step2_actual, step2_pred;
  double chained_pred, chained_rel_error;
};

// figures/step1_main.csv (Actual, Pred, Fit Error), step2_main.csv (Actual, Pred), chained_main.csv (Pred, Rel Error).
const Published kPublished[] = {
    {"mmlu_avg_test_5shot", 0.7488274373888968, 0.7501562439156164, 0.00459955846280895, 0.5161402368605137,
     0.5137559254977586, 0.5126799915287485, 0.006704079791981557},
    {"hellaswag_val_5shot", 0.6609338879585266, 0.6531765996418648, 0.002564809550553303, 0.831905996799469,
     0.8415671300246522, 0.8530359563499285, 0.025399455745903063},
    {"arc_challenge_test_5shot", 0.7157248377799987, 0.783323889494342, 0.004845000187424237, 0.638054609298706,
     0.6030242849964447, 0.5267099358093748, 0.1745064950031654},
    {"arc_easy_test_5shot", 0.5113906025886535, 0.5931045976220826, 0.011775123423672772, 0.8717171669006347,
     0.8193835327090995, 0.7724156000459201, 0.11391489192277633},
    {"piqa_val_5shot", 0.8987890243530273, 0.8747948863685431, 0.003104357884309965, 0.8295973896980285,
     0.8074608283959512, 0.820804177694882, 0.010599372794973767},
    {"csqa_val_5shot", 0.8115828037261963, 0.6617282976368006, 0.010454759586642956, 0.7410319447517395,
     0.7172756908394468, 0.7760887505172276, 0.04730808977099201},
    {"socialiqa_val_5shot", 0.9568508267402649, 0.9915736909585439, 0.005396831679934047, 0.6159672379493714,
     0.6337470338620458, 0.5994822062474122, 0.02676283848608537},
    {"openbookqa_test_5shot", 1.2631986379623412, 1.2750065398700043, 0.00594152057987821, 0.4863999903202057,
     0.4572227807036213, 0.4486477676972386, 0.07761559081881184},
};

}  // namespace

TEST_CASE("OLMo ladder: step 1, step 2 and chained predictions of 13B-5T reproduce the paper's tables") {
  SCALELAW_REQUIRE_SHARED(kOlmoLadderTasksSource);
  const std::vector<LadderTask> tasks = OlmoLadderTaskSet();
  REQUIRE(tasks.size() == 8);
  for (std::size_t t = 0; t < tasks.size(); ++t) {
    const Published& published = kPublished[t];
    const LadderTask& task = tasks[t];
    REQUIRE(task.name == published.task);
    REQUIRE(task.runs.size() == 16);
    const LadderSummary summary = FitLadder(task);
    INFO(summary.FullReport());
    REQUIRE(summary.IsUsable());
    // The target's (N, D) as SOURCE.txt gives them: D = 596057 steps x 8388608 tokens.
    CHECK(summary.target_params == 13202396160.0);
    CHECK(summary.target_tokens == 596057.0 * 8388608.0);
    // Actuals are averages of the data alone.
    CHECK(std::abs(summary.actual_task_loss - published.step1_actual) <= 1e-12);
    CHECK(std::abs(summary.actual_accuracy - published.step2_actual) <= 1e-12);
    // The fits.
    CHECK(std::abs(summary.step1_prediction - published.step1_pred) <= 1e-4);
    CHECK(std::abs(summary.step1_fit_error - published.step1_fit_error) <= 1e-4);
    CHECK(std::abs(summary.step2_prediction - published.step2_pred) <= 1e-4);
    CHECK(std::abs(summary.chained_prediction - published.chained_pred) <= 1e-4);
    // The chained relative error, recomputed here from the prediction and the actual accuracy.
    const double relative = std::abs(summary.chained_prediction - summary.actual_accuracy) / summary.actual_accuracy;
    CHECK(std::abs(relative - published.chained_rel_error) <= 1e-4 / published.step2_actual);
  }
}
