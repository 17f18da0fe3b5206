"""Physics with CNNs: data with exact answers, and the experiments that learn them.

exact             TC, onsager_energy, yang_magnetization: the 2-D Ising model's exact results
ising             sample_ising (cached, seeded equilibrium configurations), IsingSamples,
                  binder_cumulant
updates           metropolis_sweep (checkerboard), wolff_update and swendsen_wang_update
                  (clusters), many chains at once
phases            ising_cnn, estimate_tc (Carrasquilla-Melko: where P(ordered) = 1/2)
ising_experiment  run_ising_experiment: sample, train, estimate, plot (``cnnlab train ising``)
scaling           fit_crossings (T*(L) = Tc + a L^(-1/nu)), collapse_quality, best_collapse
fss               block_spin_cnn, train_networks, crossing: T*(L) with a bootstrap error
fss_experiment    run_scaling_experiment: Tc and nu by finite-size scaling
                  (``cnnlab train ising --sizes 16 24 32 48 64``)
gauge             ground_states, random_links, plaquettes, gauge_transform, flip_links:
                  the Ising lattice gauge theory
gauge_experiment  run_gauge_experiment: a periodic CNN against a dense network
                  (``cnnlab train gauge``)
storage           save_configurations, load_configurations: configurations as .npz
spectra           make_spectra: Gaussian, Lorentzian and Voigt lines on noisy sloping baselines
spectra_fit       fit_line_shapes: the least-squares baseline for the line shape
spectra_experiment run_spectra_experiment: line shape or peak count by a Conv1d network
                  (``cnnlab train spectra``)
fringes           make_fringes: two-beam straight and circular fringes, with noise
fringes_fourier   fourier_spacing: the Fourier-transform estimate of the fringe spacing
fringes_regression train_spacing_regressor, predict_spacing, errors_by_visibility
fringes_experiment run_fringes_experiment: CNN against Fourier by visibility
                  (``cnnlab train fringes``)
photonic          band_structure, band_edges, k_path: TM (and TE) bands of a square-lattice
                  photonic crystal by plane-wave expansion, from a unit-cell picture or rods
photonic_cells    make_photonic_cells: random square-symmetric two-phase cells, labelled
photonic_regression train_edge_regressor, predict_edges, align_cells, fit_on_histogram
photonic_experiment run_photonic_experiment: band edges and gap from the picture, beside
                  intensity-only controls (``cnnlab train photonic``)
"""

from .exact import TC, onsager_energy, yang_magnetization
from .fringes import (
    Fringes,
    beam_intensities,
    fringe_visibility,
    make_fringes,
    spacing_to_target,
    target_to_spacing,
    two_beam_intensity,
)
from .fringes_experiment import FringesExperiment, run_fringes_experiment
from .fringes_fourier import fourier_spacing
from .fringes_regression import errors_by_visibility, predict_spacing, train_spacing_regressor
from .fss import Crossing, block_spin_cnn, crossing, train_networks
from .fss_experiment import ScalingExperiment, run_scaling_experiment
from .gauge import (
    flip_links,
    gauge_transform,
    ground_states,
    plaquettes,
    random_links,
    violated_fraction,
)
from .gauge_experiment import GaugeExperiment, run_gauge_experiment
from .ising import IsingSamples, binder_cumulant, sample_ising
from .ising_experiment import IsingExperiment, run_ising_experiment
from .phases import TcEstimate, estimate_tc, first_crossing, ising_cnn
from .photonic import band_edges, band_structure, k_path
from .photonic_cells import PhotonicCells, gap_midgap_ratio, make_photonic_cells
from .photonic_experiment import PhotonicExperiment, run_photonic_experiment
from .photonic_regression import (
    align_cells,
    fit_on_histogram,
    predict_edges,
    score_edges,
    train_edge_regressor,
)
from .scaling import ScalingFit, best_collapse, collapse_quality, fit_crossings
from .spectra import Spectra, gaussian, lorentzian, make_spectra, normalise, voigt, voigt_widths
from .spectra_experiment import (
    NOISE_LEVELS,
    SpectraExperiment,
    confusion_matrix,
    run_spectra_experiment,
    train_spectra_cnn,
)
from .spectra_fit import fit_line_shapes
from .storage import StoredConfigurations, load_configurations, save_configurations
from .updates import metropolis_sweep, swendsen_wang_update, wolff_update
