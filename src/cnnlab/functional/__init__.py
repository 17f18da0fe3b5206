"""Pure maths on arrays, no state: each op's forward beside its backward.

This is the reference every backend is tested against (the layers run it under
``cnnlab.set_backend("reference")``): no threads, no scratch buffers, no strategies.

Layout is PyTorch's: activations ``(N, C, H, W)`` (1-D: ``(N, C, L)``), conv weights
``(C_out, C_in / groups, KH, KW)``.
"""

from ._shapes import conv_output_size, same_padding
from .activations import (
    leaky_relu,
    leaky_relu_backward,
    log_softmax,
    log_softmax_backward,
    relu,
    relu6,
    relu6_backward,
    relu_backward,
    sigmoid,
    sigmoid_backward,
    softmax,
    softmax_backward,
    tanh,
    tanh_backward,
)
from .adaptive_pooling import adaptive_avg_pool2d, adaptive_avg_pool2d_backward
from .avg_pooling import (
    avg_pool,
    avg_pool1d,
    avg_pool2d,
    avg_pool_backward,
    global_avg_pool,
    global_avg_pool_backward,
)
from .conv import ConvContext, conv1d, conv2d, conv_backward
from .distances import (
    cosine_similarity,
    cosine_similarity_backward,
    pairwise_distance,
    pairwise_distance_backward,
)
from .dropout import dropout, dropout_backward, dropout_mask
from .embedding_losses import (
    cosine_embedding_loss,
    cosine_embedding_loss_backward,
    triplet_margin_loss,
    triplet_margin_loss_backward,
)
from .glu import glu, glu_backward
from .im2col import col2im, im2col
from .likelihood_losses import (
    binary_cross_entropy,
    binary_cross_entropy_backward,
    multilabel_soft_margin_loss,
    multilabel_soft_margin_loss_backward,
    poisson_nll_loss,
    poisson_nll_loss_backward,
    soft_margin_loss,
    soft_margin_loss_backward,
)
from .linear import linear, linear_backward
from .local_response_norm import local_response_norm, local_response_norm_backward
from .loss_reduction import LOSS_REDUCTIONS, reduce_loss, reduction_backward
from .losses import (
    binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_backward,
    cross_entropy,
    cross_entropy_backward,
    mse_loss,
    mse_loss_backward,
)
from .margin_losses import (
    hinge_embedding_loss,
    hinge_embedding_loss_backward,
    margin_ranking_loss,
    margin_ranking_loss_backward,
    multi_margin_loss,
    multi_margin_loss_backward,
    multilabel_margin_loss,
    multilabel_margin_loss_backward,
)
from .normalization import (
    batch_norm_eval,
    batch_norm_eval_backward,
    batch_norm_train,
    batch_norm_train_backward,
    update_running_stats,
)
from .padding import PADDING_MODES, conv_padding, pad, pad_backward
from .pixel_shuffle import (
    pixel_shuffle,
    pixel_shuffle_backward,
    pixel_unshuffle,
    pixel_unshuffle_backward,
)
from .pooling import PoolWindow, max_pool, max_pool1d, max_pool2d, max_pool_backward
from .rrelu import rrelu, rrelu_backward, rrelu_slopes
from .shrink_activations import (
    hardshrink,
    hardshrink_backward,
    hardtanh,
    hardtanh_backward,
    softshrink,
    softshrink_backward,
    tanhshrink,
    tanhshrink_backward,
    threshold,
    threshold_backward,
)
from .smooth_activations import (
    celu,
    celu_backward,
    logsigmoid,
    logsigmoid_backward,
    mish,
    mish_backward,
    selu,
    selu_backward,
    softsign,
    softsign_backward,
)
