"""The pools applied to the real images too: the history is meant for generated images (Shrivastava et al. 2017,
sec. 2.3), but pooling "the discriminator's inputs" sends each real batch through a pool of fakes."""
EXERCISE = "discriminator_step"
EXPECT = "applied to real images"
EDIT = [("loss_d_y = lsgan_discriminator_loss(D_Y(y_real), D_Y(y_pooled.detach()))",
         "loss_d_y = lsgan_discriminator_loss(D_Y(pool_y.query(y_real)), D_Y(y_pooled.detach()))"),
        ("loss_d_x = lsgan_discriminator_loss(D_X(x_real), D_X(x_pooled.detach()))",
         "loss_d_x = lsgan_discriminator_loss(D_X(pool_x.query(x_real)), D_X(x_pooled.detach()))")]
