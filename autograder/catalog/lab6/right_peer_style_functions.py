"""Functions written differently, peer-style: D* as a + (b - a) times the real share of the density; the losses with
F.mse_loss / F.l1_loss against target tensors in the manner of junyanz/pytorch-CycleGAN-and-pix2pix's GANLoss and
cycle_gan_model.py (rec_A / rec_B, idt_A / idt_B); the pool adapted from eriklindernoren/PyTorch-GAN's ReplayBuffer
(random.uniform(0, 1) > 0.5, random.randint, torch.cat of unsqueezed images; storing clones); the D step as two
backward passes (one per discriminator, as backward_D_basic is called twice); the CycleGAN step without freezing D,
leaving discriminator_step's zero_grad to drop what G's backward put in D's gradients (the contract allows both);
the decay written as aitorzip/PyTorch-CycleGAN's LambdaLR with the reference's + 1 offsets."""
EXERCISES = ["lsgan_optimal_discriminator", "lsgan_discriminator_loss", "lsgan_generator_loss", "cycle_loss",
             "identity_loss", "ImagePool", "generator_objective", "discriminator_step", "cyclegan_step", "linear_decay"]

import random

import torch
import torch.nn.functional as F_


def lsgan_optimal_discriminator(p_data, p_model, a=0.0, b=1.0):
    p_d, p_g = torch.broadcast_tensors(torch.as_tensor(p_data), torch.as_tensor(p_model))
    dtype = torch.promote_types(p_d.dtype, torch.get_default_dtype()) if not p_d.is_floating_point() else p_d.dtype
    p_d, p_g = p_d.to(dtype), p_g.to(torch.promote_types(dtype, p_g.dtype))
    if bool((p_d < 0).any()) or bool((p_g < 0).any()):
        raise ValueError("a density is negative")
    if bool(((p_d == 0) & (p_g == 0)).any()):
        raise ValueError("both densities vanish somewhere")
    share = p_d / (p_d + p_g)
    return a + (b - a) * share


def _target(pred, value):
    return torch.tensor(value, dtype=pred.dtype).expand_as(pred)


def lsgan_discriminator_loss(d_real, d_fake):
    loss_real = F_.mse_loss(d_real, _target(d_real, 1.0))
    loss_fake = F_.mse_loss(d_fake, _target(d_fake, 0.0))
    return (loss_real + loss_fake) * 0.5


def lsgan_generator_loss(d_fake):
    return F_.mse_loss(d_fake, _target(d_fake, 1.0))


def cycle_loss(x_real, x_rec, y_real, y_rec, lambda_cyc=10.0):
    if tuple(x_real.shape) != tuple(x_rec.shape):
        raise ValueError("x_rec and x_real differ in shape")
    if tuple(y_real.shape) != tuple(y_rec.shape):
        raise ValueError("y_rec and y_real differ in shape")
    if lambda_cyc < 0:
        raise ValueError("lambda_cyc < 0")
    return F_.l1_loss(x_rec, x_real) * lambda_cyc + F_.l1_loss(y_rec, y_real) * lambda_cyc


def identity_loss(G, F, x_real, y_real, lambda_cyc=10.0, lambda_idt=0.5):
    if min(lambda_cyc, lambda_idt) < 0:
        raise ValueError("negative weight")
    if lambda_idt * lambda_cyc == 0:
        return x_real.new_zeros(())
    idt_a = G(y_real)
    idt_b = F(x_real)
    return F_.l1_loss(idt_a, y_real) * lambda_cyc * lambda_idt + F_.l1_loss(idt_b, x_real) * lambda_cyc * lambda_idt


class ImagePool:
    def __init__(self, pool_size=50):
        if pool_size < 0:
            raise ValueError("the pool size must be >= 0")
        self.max_size = pool_size
        self.data = []

    def query(self, images):
        if self.max_size == 0:
            return images.detach().clone()
        to_return = []
        for element in images.detach():
            element = torch.unsqueeze(element, 0).clone()
            if len(self.data) < self.max_size:
                self.data.append(element)
                to_return.append(element)
            elif random.uniform(0, 1) > 0.5:
                i = random.randint(0, self.max_size - 1)
                to_return.append(self.data[i])
                self.data[i] = element
            else:
                to_return.append(element)
        return torch.cat(to_return)


def generator_objective(G, F, D_X, D_Y, x_real, y_real, lambda_cyc=10.0, lambda_idt=0.5):
    fake_b = G(x_real)
    rec_a = F(fake_b)
    fake_a = F(y_real)
    rec_b = G(fake_a)
    loss_idt = identity_loss(G, F, x_real, y_real, lambda_cyc, lambda_idt)
    loss_g_a = lsgan_generator_loss(D_Y(fake_b))
    loss_g_b = lsgan_generator_loss(D_X(fake_a))
    loss_cycle = cycle_loss(x_real, rec_a, y_real, rec_b, lambda_cyc)
    total = loss_g_a + loss_g_b + loss_cycle + loss_idt
    terms = dict(gan_g=float(loss_g_a), gan_f=float(loss_g_b), cycle=float(loss_cycle), identity=float(loss_idt))
    return total, terms, fake_b, fake_a


def discriminator_step(D_X, D_Y, opt_d, x_real, y_real, x_fake, y_fake, pool_x, pool_y):
    opt_d.zero_grad()
    results = {}
    for name, net, real, fake, pool in (("loss_d_y", D_Y, y_real, y_fake, pool_y),
                                        ("loss_d_x", D_X, x_real, x_fake, pool_x)):
        fake = pool.query(fake)
        loss = lsgan_discriminator_loss(net(real), net(fake.detach()))
        loss.backward()
        results[name] = loss.item()
    opt_d.step()
    return {"loss_d_x": results["loss_d_x"], "loss_d_y": results["loss_d_y"]}


def cyclegan_step(G, F, D_X, D_Y, opt_g, opt_d, x_real, y_real, pool_x, pool_y, lambda_cyc=10.0, lambda_idt=0.5):
    G.train(), F.train(), D_X.train(), D_Y.train()
    opt_g.zero_grad()
    loss_g, terms, fake_b, fake_a = generator_objective(G, F, D_X, D_Y, x_real, y_real, lambda_cyc, lambda_idt)
    loss_g.backward()
    opt_g.step()
    out = {"loss_g": float(loss_g)}
    out.update(terms)
    out.update(discriminator_step(D_X, D_Y, opt_d, x_real, y_real, fake_a, fake_b, pool_x, pool_y))
    return out


def linear_decay(epoch, n_constant, n_decay):
    if epoch < 0 or n_constant < 0 or n_decay < 1:
        raise ValueError("bad schedule")
    lr_l = 1.0 - max(0, epoch + 1 - n_constant) / float(n_decay + 1)
    return float(min(1.0, max(0.0, lr_l)))
