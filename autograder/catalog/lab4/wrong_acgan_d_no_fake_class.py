"""ACGAN's discriminator does not classify the fakes (keras-team/keras pull request #8452, jalola/improved-wgan-pytorch
issue #10 comment out aux_errD_fake): the paper's D maximises L_C on generated images too."""
EXERCISE = "acgan_d_loss"
EXPECT = "not classified"
EDIT = [("F.cross_entropy(class_real, y_real) + F.cross_entropy(class_fake, y_fake)", "F.cross_entropy(class_real, y_real)")]
