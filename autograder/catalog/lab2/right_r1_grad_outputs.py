"""R1 written in the style of StyleGAN2 training loops: autograd.grad with grad_outputs of ones on the logits, the
per-sample squared norm as pow(2) summed over every non-batch dimension, and gamma / 2 applied last."""
EXERCISES = ["r1_penalty"]

import torch


def r1_penalty(discriminator, x_real, x_fake=None, gamma=0.2):
    real = x_real.clone().detach()
    real.requires_grad = True
    real_pred = discriminator(real)
    grad_real = torch.autograd.grad(outputs=real_pred, inputs=[real], grad_outputs=torch.ones_like(real_pred),
                                    create_graph=True, retain_graph=True)[0]
    penalty = grad_real.pow(2).reshape(grad_real.shape[0], -1).sum(1).mean()
    return gamma / 2 * penalty
