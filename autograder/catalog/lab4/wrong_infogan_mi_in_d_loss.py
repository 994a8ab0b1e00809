"""The information term added to the discriminator's adversarial loss (openai/InfoGAN, infogan_trainer.py, subtracts
the MI estimate from the discriminator's loss as well as the generator's; in this lab's step the information
optimizer already trains Q and the shared trunk, so D's source update must hold the adversarial value only)."""
EXERCISE = "infogan_step"
EXPECT = "information term"
EDIT = [("    fake_logits, _ = discriminator(x_fake.detach())        # no gradient into G from D's update\n",
         "    fake_logits, fake_head = discriminator(x_fake.detach())\n"
         "    k = fake_head.shape[1] - c_cont.shape[1]\n"),
        ("bce(fake_logits, torch.zeros_like(fake_logits))\n    d_loss.backward()",
         "bce(fake_logits, torch.zeros_like(fake_logits))\n"
         "    d_loss = d_loss + info_weight * q_loss_fn(fake_head[:, :k], c_cat, fake_head[:, k:], c_cont)[0]\n"
         "    d_loss.backward()")]
