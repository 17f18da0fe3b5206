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
save        save / load_weights: a model's weights as .safetensors under PyTorch's key names
"""

from .serialization import load_weights, save

__version__ = "0.1.0"

__all__ = ["load_weights", "save"]
