// The per-step LR schedules of the loss curves of Luo et al. 2025 (arXiv:2503.12811) in ../shared/data/multipower,
// written as scalelaw schedule specs from its SOURCE.txt (W = 2160 linear warmup from 0, peak 3e-4, end 3e-5),
// and the paper's split of the curves into fitted and predicted ones. For the tests and the benchmarks alike.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace scalelaw::testing {

inline std::string MultipowerSchedule(const std::string& name) {
  const std::string warmup = ",warmup=2160";
  if (name == "constant_24000") return "constant:peak=3e-4,steps=24000" + warmup;
  if (name == "constant_72000") return "constant:peak=3e-4,steps=72000" + warmup;
  if (name == "cosine_24000") return "cosine:peak=3e-4,end=3e-5,steps=24000" + warmup;
  if (name == "cosine_72000") return "cosine:peak=3e-4,end=3e-5,steps=72000" + warmup;
  if (name == "wsd_20000_24000") return "wsd:peak=3e-4,end=3e-5,steps=24000,decay_start=20000,shape=exp" + warmup;
  if (name == "wsdld_20000_24000") return "wsd:peak=3e-4,end=3e-5,steps=24000,decay_start=20000,shape=linear" + warmup;
  if (name == "wsdcon_3") return "steps:peak=3e-4,steps=16000,stages=8000@3e-5" + warmup;
  if (name == "wsdcon_9") return "steps:peak=3e-4,steps=16000,stages=8000@9e-5" + warmup;
  if (name == "wsdcon_18") return "steps:peak=3e-4,steps=16000,stages=8000@1.8e-4" + warmup;
  throw std::invalid_argument("no multipower curve " + name);
}

inline const std::vector<std::string>& MultipowerTrainNames() {
  static const std::vector<std::string> names = {"cosine_24000", "constant_24000", "wsdcon_9"};
  return names;
}
inline const std::vector<std::string>& MultipowerTestNames() {
  static const std::vector<std::string> names = {"constant_72000",    "cosine_72000", "wsd_20000_24000",
                                                 "wsdld_20000_24000", "wsdcon_3",     "wsdcon_18"};
  return names;
}

}  // namespace scalelaw::testing
