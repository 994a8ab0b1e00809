"""InfoGAN's optimizers and step written another way: opt_info built from named parameters without the source head
(which the information loss never reaches, as the docstring allows); the step with nn.BCEWithLogitsLoss written as
softplus, the head split with torch.split, the codes' widths read from c_cont, and zero_grad(set_to_none=False)."""
EXERCISES = ["infogan_optimizers", "infogan_step"]

import torch
import torch.nn.functional as F


def infogan_optimizers(generator, discriminator, lr_g=1e-3, lr_d=2e-4, betas=(0.5, 0.999)):
    q_side = [p for name, p in discriminator.named_parameters() if not name.startswith("source.")]
    return (torch.optim.Adam(list(generator.parameters()), lr_g, betas),
            torch.optim.Adam(list(discriminator.parameters()), lr_d, betas),
            torch.optim.Adam([dict(params=list(generator.parameters()), lr=lr_g), dict(params=q_side, lr=lr_d)],
                             betas=betas))


def infogan_step(generator, discriminator, opt_g, opt_d, opt_info, x_real, z, c_cat, c_cont, q_loss_fn,
                 info_weight=1.0):
    gen_input = torch.hstack([z, c_cont])
    fake = generator(gen_input, c_cat)

    opt_d.zero_grad(set_to_none=False)
    # BCE(l, 1) = softplus(-l), BCE(l, 0) = softplus(l)
    loss_d = F.softplus(-discriminator(x_real)[0]).mean() + F.softplus(discriminator(fake.detach())[0]).mean()
    loss_d.backward()
    opt_d.step()

    opt_g.zero_grad(set_to_none=False)
    loss_g = F.softplus(-discriminator(fake)[0]).mean()
    loss_g.backward()
    opt_g.step()

    opt_info.zero_grad(set_to_none=False)
    q_out = discriminator(generator(gen_input, c_cat))[1]
    cat_logits, cont_mean = torch.split(q_out, [q_out.shape[1] - c_cont.shape[1], c_cont.shape[1]], dim=1)
    loss_info = q_loss_fn(cat_logits, c_cat, cont_mean, c_cont)[0]
    (loss_info * info_weight).backward()
    opt_info.step()
    return float(loss_d), float(loss_g), float(loss_info)
