// The Azure Bot that relays Teams messages to the App Service. It signs in as the app's
// user-assigned managed identity (no client secret to rotate or leak), and only Teams is connected.

@maxLength(42)
param botDisplayName string
param botServiceName string
@allowed(['F0', 'S1'])
param botServiceSku string = 'F0'
@description('Host name of the App Service, without https://')
param botAppDomain string
param identityClientId string
param identityResourceId string
param identityTenantId string

resource botService 'Microsoft.BotService/botServices@2022-09-15' = {
  name: botServiceName
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: botServiceSku
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${botAppDomain}/api/messages'
    msaAppType: 'UserAssignedMSI'
    msaAppId: identityClientId
    msaAppMSIResourceId: identityResourceId
    msaAppTenantId: identityTenantId
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: botService
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
  }
}

output botServiceName string = botService.name
