using FoodOrdering.TopicProvisioner;

var builder = Host.CreateApplicationBuilder(args);

builder.AddServiceDefaults();
builder.AddTopicProvisioning();

using var host = builder.Build();

return await host.RunOnceAsync();
