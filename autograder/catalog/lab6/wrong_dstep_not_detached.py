"""The D step relies on the pool to detach the fakes: the reference pool returns detached copies once it stores
images, but junyanz/pytorch-CycleGAN-and-pix2pix's pool returns `images` itself with pool_size 0, and their
backward_D_basic detaches (netD(fake.detach())); without it D's backward runs into G and F."""
EXERCISE = "discriminator_step"
EXPECT = "detach"
EDIT = [("y_pooled = pool_y.query(y_fake.detach())", "y_pooled = pool_y.query(y_fake)"),
        ("x_pooled = pool_x.query(x_fake.detach())", "x_pooled = pool_x.query(x_fake)"),
        ("D_Y(y_pooled.detach())", "D_Y(y_pooled)"), ("D_X(x_pooled.detach())", "D_X(x_pooled)")]
