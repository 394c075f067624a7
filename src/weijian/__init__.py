"""weijian (卫健工作台): work management for a district health bureau and its institutions."""
