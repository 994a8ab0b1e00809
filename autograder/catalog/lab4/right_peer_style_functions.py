"""Functions written as peer code writes them, adapted to our signatures: one_hot by indexing an identity matrix
(eye[y]) with explicit checks; concat_condition with torch.hstack; the projection head in the style of
pfnet-research/sngan_projection (output = l_y... summed over features with keepdim, then flattened);
conditional batch norm in the style of the CategoricalConditionalBatchNorm of pytorch/pytorch issue #8985
(F.batch_norm through the non-affine module, then per-class weight and bias gathered with index_select);
ACGAN losses with nn.BCEWithLogitsLoss / nn.CrossEntropyLoss modules (as clvrai/ACGAN-PyTorch after its fix);
the floor from softmax of a one-hot; InfoGAN's codes drawn in another order; the Q loss with log_softmax + gather
and F.mse_loss(reduction="sum") divided by the batch."""
EXERCISES = ["one_hot", "concat_condition", "ProjectionHead", "ConditionalBatchNorm2d", "acgan_d_loss", "acgan_g_loss",
             "double_softmax_floor", "sample_infogan_latent", "infogan_q_loss"]

import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def one_hot(y, num_classes):
    if not torch.is_tensor(y) or y.ndim != 1 or torch.is_floating_point(y) or y.dtype == torch.bool:
        raise ValueError("expected integer labels of shape (B,)")
    if num_classes < 1 or (y.numel() > 0 and ((y < 0).any() or (y >= num_classes).any())):
        raise ValueError("label out of range")
    return torch.eye(num_classes, device=y.device)[y.long()]


def concat_condition(h, y, num_classes, embedding=None):
    if not torch.is_tensor(y) or y.ndim != 1 or y.shape[0] != h.shape[0]:
        raise ValueError("one label per row of h")
    flat = h.reshape(h.shape[0], -1)
    code = embedding(y) if embedding is not None else one_hot(y, num_classes)
    return torch.hstack((flat, code.type(flat.dtype)))


class ProjectionHead(nn.Module):
    def __init__(self, num_features, num_classes):
        super().__init__()
        self.linear = nn.Linear(num_features, 1)
        self.embed = nn.Embedding(num_classes, num_features)

    def forward(self, features, y):
        h = features
        output = self.linear(h)
        output = output + torch.sum(self.embed(y) * h, dim=1, keepdim=True)
        return output.view(-1)


class ConditionalBatchNorm2d(nn.Module):
    def __init__(self, num_features, num_classes):
        super().__init__()
        self.bn = nn.BatchNorm2d(num_features, affine=False)
        self.gamma = nn.Embedding(num_classes, num_features)
        self.beta = nn.Embedding(num_classes, num_features)
        self.gamma.weight.data.fill_(1.0)
        self.beta.weight.data.zero_()

    def forward(self, x, y):
        out = self.bn(x)
        weight = self.gamma.weight.index_select(0, y).unsqueeze(-1).unsqueeze(-1)
        bias = self.beta.weight.index_select(0, y).unsqueeze(-1).unsqueeze(-1)
        return out * weight + bias


def acgan_d_loss(source_real, class_real, y_real, source_fake, class_fake, y_fake):
    dis_criterion, aux_criterion = nn.BCEWithLogitsLoss(), nn.CrossEntropyLoss()
    errD_real = dis_criterion(source_real, torch.ones_like(source_real)) + aux_criterion(class_real, y_real)
    errD_fake = dis_criterion(source_fake, torch.zeros_like(source_fake)) + aux_criterion(class_fake, y_fake)
    return errD_real + errD_fake


def acgan_g_loss(source_fake, class_fake, y_fake):
    dis_criterion, aux_criterion = nn.BCEWithLogitsLoss(), nn.CrossEntropyLoss()
    return dis_criterion(source_fake, torch.ones_like(source_fake)) + aux_criterion(class_fake, y_fake)


def double_softmax_floor(num_classes):
    if num_classes < 1:
        raise ValueError("num_classes >= 1")
    p = torch.zeros(1, num_classes, dtype=torch.float64)
    p[0, 0] = 1.0  # the best probabilities a softmax head can produce: all mass on the right class
    return float(-torch.log_softmax(p, dim=1)[0, 0])


def sample_infogan_latent(batch_size, noise_dim, num_categories, num_continuous, generator=None):
    c_cont = torch.empty(batch_size, num_continuous).uniform_(-1, 1, generator=generator)
    c_cat = torch.randint(num_categories, (batch_size,), generator=generator)
    z = torch.randn(batch_size, noise_dim, generator=generator)
    return torch.cat([z, one_hot(c_cat, num_categories), c_cont], 1), c_cat, c_cont


def infogan_q_loss(cat_logits, c_cat, cont_mean, c_cont, cont_weight=1.0):
    cat_part = -F.log_softmax(cat_logits, dim=1).gather(1, c_cat[:, None]).mean()
    cont_part = 0.5 * F.mse_loss(cont_mean, c_cont, reduction="sum") / cat_logits.shape[0]
    return cat_part + cont_weight * cont_part, cat_part, cont_part
