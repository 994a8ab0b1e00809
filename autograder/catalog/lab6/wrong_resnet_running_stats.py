"""Instance norm that tracks running statistics (track_running_stats=True): in evaluation mode it normalises with
running averages instead of each image's own statistics (junyanz/pytorch-CycleGAN-and-pix2pix issue #395, after which
the reference set the flag to False; yunjey/stargan issue #140)."""
EXERCISE = "ResnetGenerator"
EXPECT = "track_running_stats"
EDIT = [("nn.Conv2d(in_channels, ngf, 7), nn.InstanceNorm2d(ngf), nn.ReLU()",
         "nn.Conv2d(in_channels, ngf, 7), nn.InstanceNorm2d(ngf, track_running_stats=True), nn.ReLU()")]
