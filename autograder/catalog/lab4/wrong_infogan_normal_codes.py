"""InfoGAN's continuous codes drawn from a normal distribution (eriklindernoren/PyTorch-GAN issue #25:
np.random.normal(-1, 1, ...) where np.random.uniform was meant; buriburisuri/sugartensor issue #37)."""
EXERCISE = "sample_infogan_latent"
EXPECT = "U(-1, 1)"
EDIT = [("c_cont = torch.rand(batch_size, num_continuous, generator=generator) * 2 - 1",
         "c_cont = torch.randn(batch_size, num_continuous, generator=generator)")]
