using System.Collections;
using System.Reflection;

namespace Mlrb.Tasks.Tests.Loading;

/// <summary>Compares two object graphs property by property (records, lists, scalars) and names the first difference.</summary>
internal static class DeepEquality
{
    public static void AssertEqual(object? expected, object? actual, string path = "task")
    {
        if (expected is null || actual is null)
        {
            Assert.That(actual, Is.EqualTo(expected), path);
            return;
        }

        var type = expected.GetType();
        if (type.IsPrimitive || type.IsEnum || expected is string or decimal or TimeSpan or Uri or DateTimeOffset)
        {
            Assert.That(actual, Is.EqualTo(expected), path);
            return;
        }

        if (expected is IEnumerable expectedItems)
        {
            var left = expectedItems.Cast<object?>().ToList();
            var right = ((IEnumerable)actual).Cast<object?>().ToList();
            Assert.That(right, Has.Count.EqualTo(left.Count), path + ".Count");
            for (var i = 0; i < left.Count; i++)
            {
                AssertEqual(left[i], right[i], $"{path}[{i}]");
            }

            return;
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            AssertEqual(property.GetValue(expected), property.GetValue(actual), path + "." + property.Name);
        }
    }
}
