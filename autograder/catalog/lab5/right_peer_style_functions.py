"""Functions written differently, peer-style: the conditional input with torch.concat after explicit size checks;
the losses from softplus (BCE-with-logits written out: softplus(-l) against 1, softplus(l) against 0) and mean absolute
error by hand; the step in the manner of pytorch/examples' dcgan/main.py and sunshineatnoon/Paper-Implementations' pix2pix
(D.zero_grad(), separate backward passes for the real and the fake half of D's halved loss, then the G step);
the mask by F.pad of a block of ones; the context-encoder loss as a masked mean via torch.where."""
EXERCISES = ["conditional_d_input", "generator_loss", "discriminator_loss", "pix2pix_step", "center_mask",
             "context_encoder_loss"]

import torch
import torch.nn.functional as F


def conditional_d_input(x, y):
    if x.size(0) != y.size(0):
        raise ValueError("batch sizes differ")
    if x.shape[2:] != y.shape[2:]:
        raise ValueError("spatial sizes differ")
    return torch.concat((x, y), 1)


def generator_loss(d_fake_logits, y_fake, y_real, lambda_l1=100.0):
    adv = F.softplus(-d_fake_logits).mean()
    rec = (y_fake - y_real).abs().mean()
    return adv + lambda_l1 * rec, adv, rec


def discriminator_loss(d_real_logits, d_fake_logits):
    return (F.softplus(-d_real_logits).mean() + F.softplus(d_fake_logits).mean()) / 2


def pix2pix_step(G, D, opt_g, opt_d, x, y, lambda_l1=100.0):
    fake = G(x)
    D.zero_grad()
    pred_real = D(conditional_d_input(x, y))
    loss_real = 0.5 * F.binary_cross_entropy_with_logits(pred_real, torch.ones_like(pred_real))
    loss_real.backward()
    pred_fake = D(conditional_d_input(x, fake.detach()))
    loss_fake = 0.5 * F.binary_cross_entropy_with_logits(pred_fake, torch.zeros_like(pred_fake))
    loss_fake.backward()
    opt_d.step()
    G.zero_grad()
    err_g, err_gan, err_l1 = generator_loss(D(conditional_d_input(x, fake)), fake, y, lambda_l1)
    err_g.backward()
    opt_g.step()
    return dict(loss_d=(loss_real + loss_fake).item(), loss_g=err_g.item(), loss_gan=err_gan.item(),
                loss_l1=err_l1.item())


def center_mask(batch, size, hole):
    if hole <= 0 or hole >= size:
        raise ValueError("need 0 < hole < size")
    before = (size - hole) // 2
    after = size - hole - before
    block = torch.ones(batch, 1, hole, hole)
    return F.pad(block, (before, after, before, after))


def context_encoder_loss(x_fill, x_real, mask, d_fake_logits, w_rec=0.999, w_adv=0.001):
    m = mask.expand_as(x_fill)
    sq = torch.where(m > 0, (x_fill - x_real) ** 2, torch.zeros_like(x_fill))
    rec = sq.sum() / m.sum()
    adv = F.softplus(-d_fake_logits).mean()
    return w_rec * rec + w_adv * adv, rec, adv
