"""The fake frames not detached in the image discriminator's step: its loss's gradient reaches G (pytorch/examples'
dcgan detaches the fake for D; forgetting it is the classic GAN-step mistake)."""
EXERCISE = "mocogan_step"
EXPECT = "detach"
EDIT = [("bce(D_image(sample_frames(fake.detach())), 0.0)", "bce(D_image(sample_frames(fake)), 0.0)")]
