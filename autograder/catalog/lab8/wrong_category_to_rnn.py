"""The one-hot category concatenated to the RNN's noise (a conditional RNN) where the lab feeds it to the image
generator only: the issue's last listed mistake (MoCoGAN sec. 3.3 puts z_A in the image generator's input)."""
EXERCISE = "MoCoGANGenerator"
EXPECT = "fed to the motion RNN"
EDIT = [("        self.motion = MotionRNN(noise_dim, motion_dim)",
         "        self.motion = MotionRNN(noise_dim + num_categories, motion_dim)"),
        ("        parts.append(self.motion(eps, h0))",
         "        if self.num_categories > 0:\n"
         "            eps = torch.cat([eps, parts[1]], dim=2)\n"
         "        parts.append(self.motion(eps, h0))")]
