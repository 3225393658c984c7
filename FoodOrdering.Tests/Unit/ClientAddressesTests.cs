using System.Net;
using FoodOrdering.Clients;
using Microsoft.AspNetCore.Http;

namespace FoodOrdering.Tests.Unit;

public sealed class ClientAddressesTests
{
    [Theory]
    [InlineData("203.0.113.10", "203.0.113.10")]
    [InlineData("::ffff:203.0.113.10", "203.0.113.10")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:3::1", "2001:db8:1:3::/64")]
    public void AnIpv6HostIsItsWholeSlash64AndAnIpv4AddressItself(string address, string client)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(address);

        Assert.Equal(client, ClientAddresses.Of(context));
    }

    [Fact]
    public void ProxiesAndNetworksThatAreNoAddressesAreRefusedAtStart()
    {
        var options = new ClientAddressOptions { KnownProxies = ["10.0.0.1", "lb.internal"], KnownNetworks = ["10.0.0.0/8", "10.0.0.0"] };

        var errors = options.Validate(new(options)).Select(error => error.ErrorMessage).ToList();

        Assert.Equal(["'lb.internal' is not an IP address.", "'10.0.0.0' is not a network in CIDR notation (such as 10.0.0.0/8)."], errors);
    }
}
