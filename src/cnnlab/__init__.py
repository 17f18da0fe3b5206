"""cnnlab: a convolutional-neural-network laboratory on NumPy.

Contents
--------
signal      convolution and correlation of 1-D, 2-D and N-D arrays; the convolution integral
filters     image filtering with the classic kernels (mean, Gaussian, Sobel, ...), median
functional  the maths of CNN layers on arrays: conv, pooling, activations, losses
nn          layers with explicit forward and backward, containers, losses
optim       optimizers (SGD, Adam, AdamW) and learning-rate schedules (StepLR, CosineAnnealingLR)
train       fit (progress bars, checkpoints, resume, early stopping), evaluate, predict_proba
models      architectures: lenet5, small_vgg
inspect     summary (shapes, parameters, MACs, receptive fields), activations, saliency, Grad-CAM
physics     the 2-D Ising model (sampler, exact results) and the CNN estimate of Tc
weights     PyTorch .pth files read without torch or pickle code; the published ImageNet weights
guessing    the image guesser: ImageNet classes, preprocessing, test-time augmentation
save        save / load_weights: a model's weights as .safetensors under PyTorch's key names
guess       guess(image): "Image prediction: ping-pong ball / Confidence: 100.0%"
no_grad     forward passes that keep nothing for backward (as torch.no_grad)
set_num_threads / get_num_threads   threads for batch-parallel work (as torch's)
set_backend / get_backend / use_backend   "fast" (default) or the readable "reference" ops
keep_freed_memory   let glibc reuse freed big arrays (the command line calls it)
load_onnx   a cnnlab network from an ONNX file of a CNN (``export`` writes ONNX and torch)
explore     cnnlab.explore(model): a local page to look inside a network (``cnnlab explore``)

Each name is imported on first use, so ``import cnnlab`` is quick and changes nothing
outside cnnlab: no malloc setting, no thread, no signal handler.

>>> import cnnlab
>>> cnnlab.signal.convolve([1, 2], [1, 1])
array([1, 3, 2])
"""

from ._lazy import lazy_names

__version__ = "0.1.0"

# name -> the module that defines it
FUNCTIONS = {
    "guess": "guessing",
    "save": "serialization",
    "load_weights": "serialization",
    "no_grad": "grad_mode",
    "get_num_threads": "backend",
    "set_num_threads": "backend",
    "get_backend": "backend",
    "set_backend": "backend",
    "use_backend": "backend",
    "keep_freed_memory": "memory",
    "load_onnx": "export",
}
SUBMODULES = (
    "backend", "data", "explore", "export", "filters", "functional", "grad_mode", "guessing",
    "imageio", "inspect", "jobs", "memory", "models", "nn", "optim", "physics", "serialization",
    "signal", "tour", "train", "viz", "weights",
)  # fmt: skip

__all__ = sorted(FUNCTIONS)
__getattr__, __dir__ = lazy_names(__name__, FUNCTIONS, SUBMODULES)
