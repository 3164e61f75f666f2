// Evaluate a published law in closed form, then fit the Chinchilla law to training runs and split a budget
// under the fit. The runs here are synthetic (the Epoch AI refit of Chinchilla, exactly), so the fit has to
// give the law back; with your own runs use scalelaw::ReadRunsCsv("runs.csv") instead.
#include <cmath>
#include <cstdio>
#include <iostream>

#include <scalelaw/scalelaw.h>

int main() {
  // 1. A published law: the Epoch AI refit of Chinchilla (Besiroglu et al. 2024).
  const scalelaw::ChinchillaLaw epoch = scalelaw::FindChinchillaPreset("epoch").law;
  const scalelaw::Allocation published = scalelaw::ComputeOptimal(epoch, 1e23);
  std::printf("epoch law at C = 1e23: N_opt = %.4g, D_opt = %.4g, loss %.4f\n", published.params,
              published.tokens, scalelaw::Loss(epoch, published.params, published.tokens));
  std::printf("epoch law at N = 7e9, D = 2e12: loss %.4f\n", scalelaw::Loss(epoch, 7e9, 2e12));

  // 2. Runs of 50M to 3.2B parameters at 5 to 80 tokens per parameter, their loss from the law.
  scalelaw::Dataset runs;
  for (double params : {5e7, 2e8, 8e8, 3.2e9}) {
    for (double tokens_per_param : {5.0, 20.0, 80.0}) {
      runs.params.push_back(params);
      runs.tokens.push_back(params * tokens_per_param);
      runs.loss.push_back(scalelaw::Loss(epoch, params, params * tokens_per_param));
    }
  }

  // 3. Fit L = E + A/N^alpha + B/D^beta to them (Huber on log residuals, multi-start L-BFGS).
  scalelaw::FitOptions options;
  options.num_threads = 2;
  scalelaw::FitSummary fit;
  if (!scalelaw::Fit(runs, scalelaw::Model::FromName("chinchilla"), options, &fit)) {
    std::cerr << "the fit is not usable: " << fit.message << "\n";
    return 1;
  }
  std::cout << fit.BriefReport() << "\n";
  std::printf("fitted to %zu runs: E = %.4f, A = %.2f, B = %.2f, alpha = %.4f, beta = %.4f\n", runs.size(),
              fit.params.at("E"), fit.params.at("A"), fit.params.at("B"), fit.params.at("alpha"),
              fit.params.at("beta"));

  // 4. The compute-optimal split of 1e23 FLOPs under the fitted law.
  const scalelaw::Allocation fitted = scalelaw::ComputeOptimal(scalelaw::AsChinchillaLaw(fit), 1e23);
  std::printf("fitted law at C = 1e23: N_opt = %.4g, D_opt = %.4g\n", fitted.params, fitted.tokens);

  // The runs lie exactly on the law: the fit must recover its allocation.
  const bool recovered = std::fabs(fitted.params / published.params - 1) < 0.02 &&
                         std::fabs(fit.params.at("alpha") / epoch.alpha - 1) < 0.02;
  std::printf("%s\n", recovered ? "recovered the epoch law" : "did NOT recover the epoch law");
  return recovered ? 0 : 1;
}
