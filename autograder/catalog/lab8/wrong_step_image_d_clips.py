"""The image discriminator given clips in its step (sample_clips where sample_frames belongs): D_I must see single
frames (the issue's list)."""
EXERCISE = "mocogan_step"
EXPECT = "image discriminator was given clips"
EDIT = [("    loss_d_image = bce(D_image(sample_frames(x_real)), 1.0) + bce(D_image(sample_frames(fake.detach())), 0.0)",
         "    loss_d_image = (bce(D_image(sample_clips(x_real, length)), 1.0)\n"
         "                    + bce(D_image(sample_clips(fake.detach(), length)), 0.0))")]
