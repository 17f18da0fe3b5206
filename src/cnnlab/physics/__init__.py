"""Physics with CNNs: data with exact answers, and the experiments that learn them.

exact             TC, onsager_energy, yang_magnetization: the 2-D Ising model's exact results
ising             sample_ising (cached, seeded equilibrium configurations), IsingSamples,
                  binder_cumulant
updates           metropolis_sweep (checkerboard), wolff_update and swendsen_wang_update
                  (clusters), many chains at once
phases            ising_cnn, estimate_tc (Carrasquilla-Melko: where P(ordered) = 1/2)
ising_experiment  run_ising_experiment: sample, train, estimate, plot (``cnnlab train ising``)
"""

from .exact import TC, onsager_energy, yang_magnetization
from .ising import IsingSamples, binder_cumulant, sample_ising
from .ising_experiment import IsingExperiment, run_ising_experiment
from .phases import TcEstimate, estimate_tc, first_crossing, ising_cnn
from .updates import metropolis_sweep, swendsen_wang_update, wolff_update
