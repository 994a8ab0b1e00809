"""Latent-major grid: z.repeat_interleave and labels tiled, so consecutive images cycle through the classes instead of
block k holding class k."""
EXERCISE = "sample_class_grid"
EXPECT = "class-major"
EDIT = [("labels = torch.arange(num_classes, device=z.device).repeat_interleave(n)",
         "labels = torch.arange(num_classes, device=z.device).repeat(n)"),
        ("generator(z.repeat(num_classes, 1), labels)", "generator(z.repeat_interleave(num_classes, 0), labels)")]
