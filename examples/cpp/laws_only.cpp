// The published Chinchilla laws in closed form, with scalelaw::laws alone (header-only: no library, no Ceres).
#include <cstdio>

#include <scalelaw/laws/chinchilla.h>
#include <scalelaw/version.h>

int main() {
  const double flops = 1e23;
  std::printf("scalelaw %s: compute-optimal N and D for C = %.3g FLOPs (C = 6ND)\n", scalelaw::kVersion, flops);
  for (const scalelaw::ChinchillaPreset& preset : scalelaw::ChinchillaPresets()) {
    const scalelaw::Allocation a = scalelaw::ComputeOptimal(preset.law, flops);
    std::printf("  %-22s N = %.4g  D = %.4g  D/N = %.1f  loss = %.4f\n", std::string(preset.name).c_str(),
                a.params, a.tokens, a.TokensPerParameter(), scalelaw::Loss(preset.law, a.params, a.tokens));
  }
  return 0;
}
