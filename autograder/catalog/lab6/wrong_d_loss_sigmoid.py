"""A sigmoid applied to D's scores before the least-squares terms, as in GunhoChoi/LSGAN-TF issue #1 ("I used Sigmoid
activation function because the output of the discriminator should be compared to zero labels and ones labels"),
hwalsuklee/tensorflow-generative-model-collections issue #19 and jackaduma/CycleGAN-VC2 issue #25; junyanz/CycleGAN
issue #70 explains why LSGAN drops it (vanishing gradients come back)."""
EXERCISE = "lsgan_discriminator_loss"
EXPECT = "sigmoid"
EDIT = [("return 0.5 * (torch.mean((d_real - 1) ** 2) + torch.mean(d_fake ** 2))",
         "return 0.5 * (torch.mean((torch.sigmoid(d_real) - 1) ** 2) + torch.mean(torch.sigmoid(d_fake) ** 2))")]
