"""The 7 x 7 convolutions zero-padded (Conv2d(..., 7, padding=3)) instead of reflection-padded, the usual port of the
c7s1-k layers when ReflectionPad2d is overlooked (the paper's appendix 7.2: "Reflection padding was used to reduce
artifacts")."""
EXERCISE = "ResnetGenerator"
EXPECT = "reflection"
EDIT = [("[nn.ReflectionPad2d(3), nn.Conv2d(in_channels, ngf, 7),", "[nn.Conv2d(in_channels, ngf, 7, padding=3),"),
        ("[nn.ReflectionPad2d(3), nn.Conv2d(ngf, out_channels, 7),", "[nn.Conv2d(ngf, out_channels, 7, padding=3),")]
