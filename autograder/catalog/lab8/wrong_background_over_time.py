"""The background built by a 3D stream like the foreground (B, C, T, H, W): a background varying over time (the
issue's list), which breaks VGAN's static-camera assumption; the composite then receives a 5-D background."""
EXERCISE = "VGANGenerator"
EXPECT = "background varies over time"
EDIT = [("        self.background = nn.Sequential(*bg, nn.ConvTranspose2d(ngf, channels, 4, 2, 1), nn.Tanh())",
         "        bg3d = [nn.ConvTranspose3d(latent_dim, ngf * 2 ** n_up, (2, 4, 4), 1, 0, bias=False),\n"
         "                nn.BatchNorm3d(ngf * 2 ** n_up), nn.ReLU()]\n"
         "        width = ngf * 2 ** n_up\n"
         "        for _ in range(n_up):\n"
         "            bg3d += [nn.ConvTranspose3d(width, width // 2, 4, 2, 1, bias=False), nn.BatchNorm3d(width // 2),\n"
         "                     nn.ReLU()]\n"
         "            width //= 2\n"
         "        self.background = nn.Sequential(*bg3d, nn.ConvTranspose3d(ngf, channels, 4, 2, 1), nn.Tanh())"),
        ("        background = self.background(z.view(*z.shape, 1, 1))   # (B, C, size, size)",
         "        background = self.background(z.view(*z.shape, 1, 1, 1))   # (B, C, T, size, size)")]
